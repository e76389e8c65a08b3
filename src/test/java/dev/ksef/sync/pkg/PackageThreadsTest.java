package dev.ksef.sync.pkg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;

/** A fixed pool of the bundle's queues work behind a busy thread (the delivered-keys writer relies on it) and refuses it once shut down. */
class PackageThreadsTest {

    @Test
    void aBusySingleThreadPoolQueuesTheNextTasksAndRefusesWorkAfterShutdown() throws Exception {
        try (DefaultCamelContext context = new DefaultCamelContext()) {
            context.start();
            ExecutorService writer = PackageThreads.fixedPool(context, this, "test-writer", 1);
            CountDownLatch release = new CountDownLatch(1);
            AtomicInteger done = new AtomicInteger();
            CompletableFuture<Void> first = CompletableFuture.runAsync(() -> {
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                done.incrementAndGet();
            }, writer);
            CompletableFuture<Void> second = first.thenRunAsync(done::incrementAndGet, writer);
            CompletableFuture<Void> third = CompletableFuture.runAsync(done::incrementAndGet, writer);
            release.countDown();
            CompletableFuture.allOf(first, second, third).get(10, TimeUnit.SECONDS);
            assertEquals(3, done.get(), "every task ran, none was handed off to nobody");
            writer.shutdown();
            assertThrows(RejectedExecutionException.class, () -> writer.execute(done::incrementAndGet));
        }
    }
}
