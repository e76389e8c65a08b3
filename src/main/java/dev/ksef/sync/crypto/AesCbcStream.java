package dev.ksef.sync.crypto;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.IvParameterSpec;

/**
 * Streams one package part through AES-256-CBC with PKCS#7 padding, as KSeF encrypts parts: every part separately,
 * with the export's key and the same IV, no IV prefix. Sizes and SHA-256 of both sides are measured on the way,
 * so the caller can check {@code encryptedPartSize/Hash} and {@code partSize/Hash} without a second read: the input
 * side (read, hash, cipher) on the caller's thread, the output side (hash, write) on a thread of its own. Only four
 * 256 KiB chunks are ever held in memory.
 */
public final class AesCbcStream {

    private static final int CHUNK = 256 * 1024;

    /** What passed through: sizes and base64 SHA-256 of the encrypted and the plain side. */
    public record Transfer(long encryptedSize, String encryptedHash, long plainSize, String plainHash) {
    }

    private AesCbcStream() {
    }

    public static Transfer decrypt(InputStream encrypted, OutputStream plainOut, SecretKey key, byte[] iv) throws IOException {
        return run(Cipher.DECRYPT_MODE, encrypted, plainOut, key, iv);
    }

    public static Transfer encrypt(InputStream plain, OutputStream encryptedOut, SecretKey key, byte[] iv) throws IOException {
        return run(Cipher.ENCRYPT_MODE, plain, encryptedOut, key, iv);
    }

    private static Transfer run(int mode, InputStream in, OutputStream out, SecretKey key, byte[] iv) throws IOException {
        Cipher cipher;
        try {
            cipher = Cipher.getInstance("AES/CBC/PKCS5Padding");
            cipher.init(mode, key, new IvParameterSpec(iv));
        } catch (GeneralSecurityException e) {
            throw new KsefCryptoException("cannot initialise AES-256-CBC: " + e.getClass().getSimpleName(), e);
        }
        MessageDigest inDigest = Sha256.newDigest();
        MessageDigest outDigest = Sha256.newDigest();
        long inSize = 0;
        long outSize;
        byte[] buffer = new byte[CHUNK];
        try (OutputSide output = new OutputSide(out, outDigest)) {
            for (int n; (n = in.readNBytes(buffer, 0, CHUNK)) > 0; ) {
                inDigest.update(buffer, 0, n);
                inSize += n;
                byte[] result = output.buffer();
                output.put(result, update(cipher, buffer, n, result));
            }
            byte[] result = output.buffer();
            try {
                output.put(result, cipher.doFinal(result, 0));
            } catch (GeneralSecurityException e) {
                throw new KsefCryptoException("AES-256-CBC " + (mode == Cipher.DECRYPT_MODE ? "decryption" : "encryption")
                        + " failed after " + inSize + " bytes (wrong key, IV, or a truncated part): " + e.getClass().getSimpleName(), e);
            }
            outSize = output.finish();
        }
        return mode == Cipher.DECRYPT_MODE
                ? new Transfer(inSize, Sha256.base64(inDigest), outSize, Sha256.base64(outDigest))
                : new Transfer(outSize, Sha256.base64(outDigest), inSize, Sha256.base64(inDigest));
    }

    /**
     * The output side on a thread of its own: a chunk is hashed and written there while the next one is read, hashed
     * and run through the cipher, so a part takes about half the time on two cores. Three chunk buffers circulate.
     */
    private static final class OutputSide implements AutoCloseable {
        private record Chunk(byte[] bytes, int length) {
        }

        private final BlockingQueue<byte[]> free = new ArrayBlockingQueue<>(3);
        private final BlockingQueue<Chunk> full = new ArrayBlockingQueue<>(3);
        private final OutputStream out;
        private final MessageDigest digest;
        private final Thread thread;
        private volatile IOException failure;
        private long size;

        OutputSide(OutputStream out, MessageDigest digest) {
            this.out = out;
            this.digest = digest;
            for (int i = 0; i < 3; i++) {
                free.add(new byte[CHUNK + 32]);
            }
            thread = new Thread(this::drain, "ksef-aes-output");
            thread.setDaemon(true);
            thread.start();
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
                thread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while streaming a package part");
            }
            failed();
            return size;
        }

        private void drain() {
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
            }
        }

        private void failed() throws IOException {
            if (failure != null) {
                throw failure;
            }
        }

        /** After a failure on the reading side: the output thread stops, and nothing is written after this returns. */
        @Override
        public void close() {
            boolean interrupted = false;
            while (thread.isAlive()) {
                thread.interrupt();
                try {
                    thread.join();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static int update(Cipher cipher, byte[] buffer, int length, byte[] result) {
        try {
            return cipher.update(buffer, 0, length, result, 0);
        } catch (GeneralSecurityException e) {
            throw new KsefCryptoException("AES-256-CBC update failed: " + e.getClass().getSimpleName(), e);
        }
    }

    /** The size KSeF reports for an encrypted part: the plain size padded up to the next whole block. */
    public static long encryptedSize(long plainSize) {
        return 16 * (plainSize / 16 + 1);
    }
}
