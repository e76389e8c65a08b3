package dev.ksef.sync.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What one benchmark run measures about its own JVM: the peak heap (sum of the heap pools' peaks since
 * {@link #resetPeaks()}, an upper bound of the true peak) and the process' peak RSS ({@code VmHWM}).
 */
final class Measure {

    private Measure() {
    }

    static void resetPeaks() {
        System.gc();
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            pool.resetPeakUsage();
        }
    }

    static long peakHeapBytes() {
        long sum = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP && pool.getPeakUsage() != null) {
                sum += pool.getPeakUsage().getUsed();
            }
        }
        return sum;
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

    /** The one result line a child run prints for the orchestrator: {@code BENCH k=v k=v ...}. */
    static void report(String mode, long invoices, long encryptedBytes, long wallNanos) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("mode", mode);
        r.put("invoices", invoices);
        r.put("encryptedBytes", encryptedBytes);
        r.put("wallMs", wallNanos / 1_000_000);
        r.put("peakHeapBytes", peakHeapBytes());
        r.put("peakRssBytes", peakRssBytes());
        r.put("maxHeapBytes", Runtime.getRuntime().maxMemory());
        StringBuilder line = new StringBuilder("BENCH");
        r.forEach((k, v) -> line.append(' ').append(k).append('=').append(v));
        System.out.println(line);
    }
}
