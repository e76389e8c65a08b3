package dev.ksef.sync.pkg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;

/** A batch's items on the check threads and the caller's: each exactly once, the first failure thrown, a refusing pool survived. */
class ParallelChecksTest {

    @Test
    void everyItemOnceOnTheCallerAndThePool() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            AtomicIntegerArray seen = new AtomicIntegerArray(500);
            Set<Thread> threads = ConcurrentHashMap.newKeySet();
            Thread caller = Thread.currentThread();
            java.util.concurrent.CountDownLatch poolTookOne = new java.util.concurrent.CountDownLatch(1);
            new ParallelChecks(new PackageThreads(pool, pool, 4)).forEach(500, i -> {
                seen.incrementAndGet(i);
                threads.add(Thread.currentThread());
                if (Thread.currentThread() != caller) {
                    poolTookOne.countDown();
                } else if (poolTookOne.getCount() > 0) {
                    try { // however slow the pool's threads are to start, they find work left: the caller waits for one
                        poolTookOne.await(10, java.util.concurrent.TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                java.util.concurrent.locks.LockSupport.parkNanos(20_000); // an entry's inflate and check
            });
            for (int i = 0; i < 500; i++) {
                assertEquals(1, seen.get(i), "item " + i);
            }
            assertTrue(threads.contains(Thread.currentThread()) && threads.size() > 1, "the caller and the pool: " + threads);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void theFirstFailureIsThrownAfterTheOthersAreDone() {
        ExecutorService pool = Executors.newFixedThreadPool(1);
        try {
            AtomicIntegerArray seen = new AtomicIntegerArray(50);
            IllegalStateException broken = new IllegalStateException("entry 7");
            assertSame(broken, assertThrows(IllegalStateException.class, () -> new ParallelChecks(new PackageThreads(pool, pool, 2))
                    .forEach(50, i -> {
                        seen.incrementAndGet(i);
                        if (i == 7) {
                            throw broken;
                        }
                    })));
            for (int i = 0; i < 50; i++) {
                assertEquals(1, seen.get(i), "item " + i);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aPoolThatRefusesWorkLeavesTheCallerToDoItAll() {
        AtomicIntegerArray seen = new AtomicIntegerArray(20);
        PackageThreads stopping = new PackageThreads(Runnable::run, task -> {
            throw new RejectedExecutionException("shut down with its context");
        }, 4);
        new ParallelChecks(stopping).forEach(20, seen::incrementAndGet);
        for (int i = 0; i < 20; i++) {
            assertEquals(1, seen.get(i), "item " + i);
        }
    }
}
