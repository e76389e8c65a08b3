package dev.ksef.sync.pkg;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntConsumer;

/**
 * Works the items of a batch on {@code threads} threads at once: the caller's and {@code threads - 1} tasks of the
 * check pool, each taking the next item until none is left (large and small entries even out by themselves). The
 * caller works too, so a batch never waits for a pool busy with another package's, and returns when every item is done.
 */
final class ParallelChecks {

    private final PackageThreads pool;

    ParallelChecks(PackageThreads pool) {
        this.pool = pool;
    }

    /** Runs {@code task} for 0 .. {@code count - 1}; the first failure of any item is thrown after all are done. */
    void forEach(int count, IntConsumer task) {
        AtomicInteger next = new AtomicInteger();
        CountDownLatch done = new CountDownLatch(count);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Runnable worker = () -> {
            for (int i; (i = next.getAndIncrement()) < count; ) {
                try {
                    task.accept(i);
                } catch (RuntimeException | Error e) {
                    failure.compareAndSet(null, e);
                } finally {
                    done.countDown();
                }
            }
        };
        try {
            for (int helpers = Math.min(pool.checkThreads(), count) - 1; helpers > 0; helpers--) {
                pool.checks().execute(worker);
            }
        } catch (RejectedExecutionException stopping) {
            // the pool is shutting down with its context: the caller works the rest
        }
        worker.run();
        awaitUninterruptibly(done); // what helpers still hold is theirs to finish
        Throwable first = failure.get();
        if (first instanceof RuntimeException e) {
            throw e;
        }
        if (first instanceof Error e) {
            throw e;
        }
    }

    private static void awaitUninterruptibly(CountDownLatch latch) {
        boolean interrupted = false;
        while (true) {
            try {
                latch.await();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
