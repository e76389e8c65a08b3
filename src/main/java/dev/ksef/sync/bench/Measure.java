package dev.ksef.sync.bench;

import com.sun.management.GarbageCollectionNotificationInfo;
import com.sun.management.GcInfo;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;

/**
 * What one benchmark run measures about its own JVM: the peak heap since {@link #resetPeaks()} and the process' peak
 * RSS ({@code VmHWM}). The heap is fullest right before a collection: the peak is the largest heap in use (all heap
 * pools at that one instant) that any collection found when it started, or the heap in use at the end if that is
 * larger. (Adding up each pool's own peak, as an earlier version did, overstates it: eden and old generation peak at
 * different times, and the sum can exceed -Xmx.)
 */
final class Measure {

    private static final Set<String> HEAP_POOLS = new HashSet<>();
    private static final AtomicLong PEAK = new AtomicLong();

    static {
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                HEAP_POOLS.add(pool.getName());
            }
        }
        for (GarbageCollectorMXBean collector : ManagementFactory.getGarbageCollectorMXBeans()) {
            ((NotificationEmitter) collector).addNotificationListener((notification, handback) -> {
                if (GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(notification.getType())) {
                    GcInfo gc = GarbageCollectionNotificationInfo.from((CompositeData) notification.getUserData()).getGcInfo();
                    PEAK.accumulateAndGet(heapUsed(gc.getMemoryUsageBeforeGc()), Math::max);
                }
            }, null, null);
        }
    }

    private Measure() {
    }

    static void resetPeaks() {
        System.gc();
        PEAK.set(ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
    }

    /** CPU time of this process so far, all threads. */
    static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    /** CPU time of another process so far (all its threads), from /proc (Linux), or -1. */
    static long processCpuNanos(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            // utime and stime, fields 14 and 15 of the line, in clock ticks of 10 ms
            return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) * 10_000_000L;
        } catch (Exception e) {
            return -1;
        }
    }

    static long peakHeapBytes() {
        return Math.max(PEAK.get(), ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
    }

    private static long heapUsed(Map<String, MemoryUsage> pools) {
        return pools.entrySet().stream().filter(e -> HEAP_POOLS.contains(e.getKey())).mapToLong(e -> e.getValue().getUsed()).sum();
    }

    /** Peak resident set size from /proc (Linux), or -1. */
    static long peakRssBytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (Exception e) {
            // not Linux
        }
        return -1;
    }

    /** A result line a child run prints for the orchestrator: {@code BENCH k=v k=v ...}. */
    static void report(String mode, long invoices, long encryptedBytes, long wallNanos) {
        report(mode, invoices, encryptedBytes, wallNanos, -1);
    }

    /** The same with the CPU time the process spent over {@code wallNanos} (all its threads; -1 when not measured). */
    static void report(String mode, long invoices, long encryptedBytes, long wallNanos, long cpuNanos) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("mode", mode.replace(' ', '_')); // one token on the line; Bench turns it back
        r.put("invoices", invoices);
        r.put("encryptedBytes", encryptedBytes);
        r.put("wallMs", wallNanos / 1_000_000);
        if (cpuNanos >= 0) {
            r.put("cpuMs", cpuNanos / 1_000_000);
        }
        r.put("peakHeapBytes", peakHeapBytes());
        r.put("peakRssBytes", peakRssBytes());
        r.put("maxHeapBytes", Runtime.getRuntime().maxMemory());
        StringBuilder line = new StringBuilder("BENCH");
        r.forEach((k, v) -> line.append(' ').append(k).append('=').append(v));
        System.out.println(line);
    }
}
