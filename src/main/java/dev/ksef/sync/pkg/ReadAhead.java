package dev.ksef.sync.pkg;

import java.io.Closeable;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.concurrent.SynchronousQueue;

/**
 * Runs an iterator one element ahead of its consumer, on a thread of its own: while the route publishes one batch,
 * the next is inflated and checked. A hand-off, not a buffer: at most one element waits, so memory stays at two
 * batches. What the source throws reaches the consumer from {@link #next()}. {@link #close()} (Camel's splitter
 * closes a {@link Closeable} iterator when the split ends, also on failure) stops the thread and closes the source.
 */
final class ReadAhead<T> implements Iterator<T>, Closeable {

    private static final Object END = new Object();

    private final SynchronousQueue<Object> handoff = new SynchronousQueue<>();
    private final Thread thread;
    private Object ahead;

    ReadAhead(Iterator<T> source, Closeable closeSource, String threadName) {
        thread = new Thread(() -> {
            try {
                try {
                    while (source.hasNext()) {
                        handoff.put(source.next());
                    }
                    handoff.put(END);
                } catch (RuntimeException | Error e) {
                    handoff.put(e);
                }
            } catch (InterruptedException e) {
                // closed by the consumer
            } finally {
                try {
                    closeSource.close();
                } catch (java.io.IOException ignored) {
                    // read-only source
                }
            }
        }, threadName);
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public boolean hasNext() {
        return fetch() != END;
    }

    @Override
    @SuppressWarnings("unchecked")
    public T next() {
        Object item = fetch();
        if (item == END) {
            throw new NoSuchElementException();
        }
        ahead = null;
        if (item instanceof RuntimeException e) {
            ahead = END;
            throw e;
        }
        if (item instanceof Error e) {
            ahead = END;
            throw e;
        }
        return (T) item;
    }

    private Object fetch() {
        if (ahead == null) {
            try {
                ahead = handoff.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for the package reader", e);
            }
        }
        return ahead;
    }

    @Override
    public void close() {
        thread.interrupt();
    }
}
