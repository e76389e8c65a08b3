package dev.ksef.sync.pkg;

import java.io.Closeable;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.concurrent.Executor;
import java.util.concurrent.SynchronousQueue;

/**
 * Runs an iterator one element ahead of its consumer, as a task of the given executor: while the route publishes one
 * batch, the next is inflated and checked. A hand-off, not a buffer: at most one element waits, so memory stays at two
 * batches. What the source throws reaches the consumer from {@link #next()}. {@link #close()} (Camel's splitter
 * closes a {@link Closeable} iterator when the split ends, also on failure) stops the task and closes the source.
 */
final class ReadAhead<T> implements Iterator<T>, Closeable {

    private static final Object END = new Object();

    private final SynchronousQueue<Object> handoff = new SynchronousQueue<>();
    private final Iterator<T> source;
    private final Closeable closeSource;
    private boolean begun; // guarded by this
    private boolean closed; // guarded by this
    private Thread reader; // guarded by this: the executor's thread while the task runs
    private Object ahead;

    ReadAhead(Iterator<T> source, Closeable closeSource, Executor executor) {
        this.source = source;
        this.closeSource = closeSource;
        executor.execute(this::readAhead);
    }

    private void readAhead() {
        synchronized (this) {
            if (closed) {
                return; // closed before it began: close() closed the source
            }
            begun = true;
            reader = Thread.currentThread();
        }
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
            synchronized (this) {
                reader = null;
                Thread.interrupted(); // a close() racing the end leaves nothing behind on the pool's thread
            }
            closeQuietly();
        }
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
        synchronized (this) {
            closed = true;
            if (reader != null) {
                reader.interrupt();
            }
            if (begun) {
                return; // the task closes the source as it ends
            }
        }
        closeQuietly();
    }

    private void closeQuietly() {
        try {
            closeSource.close();
        } catch (java.io.IOException ignored) {
            // read-only source
        }
    }
}
