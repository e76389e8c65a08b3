package dev.ksef.sync.crypto;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;

/**
 * The output side of {@link AesCbcStream} on a thread of the given executor: a chunk is hashed and written there while
 * the caller reads, hashes and deciphers the next one, so a part takes about half the time on two cores. Three buffers
 * of a chunk (plus a cipher block) circulate: {@link #buffer()} hands out a free one, {@link #put} queues it filled.
 */
final class ChunkWriter implements AutoCloseable {

    private record Chunk(byte[] bytes, int length) {
    }

    private enum State { QUEUED, DRAINING, DONE }

    private final BlockingQueue<byte[]> free = new ArrayBlockingQueue<>(3);
    private final BlockingQueue<Chunk> full = new ArrayBlockingQueue<>(3);
    private final OutputStream out;
    private final MessageDigest digest;
    private final CountDownLatch drained = new CountDownLatch(1);
    private State state = State.QUEUED; // guarded by this
    private Thread drainer; // guarded by this: the executor's thread while it drains
    private volatile IOException failure;
    private long size;

    ChunkWriter(OutputStream out, MessageDigest digest, int chunkSize, Executor executor) {
        this.out = out;
        this.digest = digest;
        for (int i = 0; i < 3; i++) {
            free.add(new byte[chunkSize + 32]);
        }
        executor.execute(this::drain);
    }

    byte[] buffer() throws IOException {
        failed();
        try {
            return free.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while streaming a package part");
        }
    }

    void put(byte[] bytes, int length) throws IOException {
        try {
            full.put(new Chunk(bytes, length));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while streaming a package part");
        }
    }

    /** Waits for the last chunk to be written; returns the bytes written. */
    long finish() throws IOException {
        put(null, -1); // the end
        try {
            drained.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while streaming a package part");
        }
        failed();
        return size;
    }

    private void drain() {
        synchronized (this) {
            if (state != State.QUEUED) {
                return; // closed before it began
            }
            state = State.DRAINING;
            drainer = Thread.currentThread();
        }
        try {
            for (Chunk chunk; (chunk = full.take()).length >= 0; ) {
                if (failure == null) {
                    try {
                        digest.update(chunk.bytes, 0, chunk.length);
                        out.write(chunk.bytes, 0, chunk.length);
                        size += chunk.length;
                    } catch (IOException e) {
                        failure = e;
                    }
                }
                free.put(chunk.bytes);
            }
        } catch (InterruptedException e) {
            // the transfer was abandoned
        } finally {
            synchronized (this) {
                state = State.DONE;
                drainer = null;
                Thread.interrupted(); // a close() racing the end leaves nothing behind on the pool's thread
            }
            drained.countDown();
        }
    }

    private void failed() throws IOException {
        if (failure != null) {
            throw failure;
        }
    }

    /** After a failure on the reading side: the output task stops, and nothing is written after this returns. */
    @Override
    public void close() {
        synchronized (this) {
            if (state == State.QUEUED) {
                state = State.DONE; // it never began and never will write
                return;
            }
            if (drainer != null) {
                drainer.interrupt();
            }
        }
        boolean interrupted = false;
        while (true) {
            try {
                drained.await();
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
