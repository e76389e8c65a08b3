package dev.ksef.sync.pkg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class ReadAheadTest {

    private static final java.util.concurrent.ExecutorService POOL = java.util.concurrent.Executors.newCachedThreadPool();

    @org.junit.jupiter.api.AfterAll
    static void stopPool() {
        POOL.shutdownNow();
    }

    @Test
    void deliversEveryElementInOrderAndClosesTheSourceAtTheEnd() throws Exception {
        CountDownLatch closed = new CountDownLatch(1);
        ReadAhead<Integer> ahead = new ReadAhead<>(IntStream.range(0, 100).iterator(), closed::countDown, POOL);
        List<Integer> seen = new ArrayList<>();
        while (ahead.hasNext()) {
            seen.add(ahead.next());
        }
        assertEquals(IntStream.range(0, 100).boxed().toList(), seen);
        assertTrue(closed.await(10, TimeUnit.SECONDS), "source closed once read to the end");
    }

    @Test
    void aFailureOfTheSourceReachesTheConsumerAfterWhatCameBefore() {
        UncheckedIOException broken = new UncheckedIOException(new java.io.IOException("broken archive"));
        Iterator<Integer> source = new Iterator<>() {
            int next;

            @Override
            public boolean hasNext() {
                return true;
            }

            @Override
            public Integer next() {
                if (next == 2) {
                    throw broken;
                }
                return next++;
            }
        };
        ReadAhead<Integer> ahead = new ReadAhead<>(source, () -> { }, POOL);
        assertEquals(0, ahead.next());
        assertEquals(1, ahead.next());
        assertSame(broken, assertThrows(UncheckedIOException.class, ahead::next));
        assertFalse(ahead.hasNext(), "nothing after the failure");
    }

    @Test
    void closingEarlyStopsTheReaderAndClosesTheSource() throws Exception {
        AtomicInteger produced = new AtomicInteger();
        CountDownLatch closed = new CountDownLatch(1);
        Iterator<Integer> endless = new Iterator<>() {
            @Override
            public boolean hasNext() {
                return true;
            }

            @Override
            public Integer next() {
                return produced.incrementAndGet();
            }
        };
        ReadAhead<Integer> ahead = new ReadAhead<>(endless, closed::countDown, POOL);
        assertEquals(1, ahead.next());
        ahead.close();
        assertTrue(closed.await(10, TimeUnit.SECONDS), "reader stopped and source closed");
        assertTrue(produced.get() <= 3, "at most one element read ahead of the consumer, then one in hand: " + produced.get());
    }

    @Test
    void closedBeforeThePoolRanItTheSourceIsClosedAndNeverRead() throws Exception {
        AtomicInteger produced = new AtomicInteger();
        CountDownLatch closed = new CountDownLatch(1);
        List<Runnable> queued = new ArrayList<>();
        ReadAhead<Integer> ahead = new ReadAhead<>(IntStream.generate(produced::incrementAndGet).iterator(), closed::countDown, queued::add);
        ahead.close();
        assertEquals(0, closed.getCount(), "closed at once: the task never began");
        queued.forEach(Runnable::run); // the pool gets to it late
        assertEquals(0, produced.get(), "nothing read after the close");
    }
}
