package dev.ksef.sync.crypto;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.concurrent.Executor;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.IvParameterSpec;

/**
 * Streams one package part through AES-256-CBC with PKCS#7 padding, as KSeF encrypts parts: every part separately,
 * with the export's key and the same IV, no IV prefix. Sizes and SHA-256 of both sides are measured on the way,
 * so the caller can check {@code encryptedPartSize/Hash} and {@code partSize/Hash} without a second read: the input
 * side (read, hash, cipher) on the caller's thread, the output side (hash, write) on a thread of the given executor
 * (the bundle passes a pool of Camel's; without one, a thread of its own per call). Only four 256 KiB chunks are ever
 * held in memory.
 */
public final class AesCbcStream {

    private static final int CHUNK = 256 * 1024;
    /**
     * A chunk goes through the cipher in slices of this size. The JIT replaces the JDK's CBC loop with its vectorised
     * intrinsic only once that method is compiled, which counts calls: with 16 KiB calls that happens after a few MB
     * instead of after about 150 MB, and decryption runs at about 2 GB/s instead of 0.5-0.7 (this machine).
     */
    private static final int CIPHER_SLICE = 16 * 1024;

    /** What passed through: sizes and base64 SHA-256 of the encrypted and the plain side. */
    public record Transfer(long encryptedSize, String encryptedHash, long plainSize, String plainHash) {
    }

    /** Outside a Camel context (the simulator, tools, tests): the output side on a daemon thread of its own. */
    private static final Executor OWN_THREAD = task -> {
        Thread thread = new Thread(task, "ksef-aes-output");
        thread.setDaemon(true);
        thread.start();
    };

    private AesCbcStream() {
    }

    public static Transfer decrypt(InputStream encrypted, OutputStream plainOut, SecretKey key, byte[] iv) throws IOException {
        return decrypt(encrypted, plainOut, key, iv, OWN_THREAD);
    }

    /** The output side (plain hash, write) runs on {@code output}; the call returns when it has written everything. */
    public static Transfer decrypt(InputStream encrypted, OutputStream plainOut, SecretKey key, byte[] iv, Executor output) throws IOException {
        return run(Cipher.DECRYPT_MODE, encrypted, plainOut, key, iv, output);
    }

    public static Transfer encrypt(InputStream plain, OutputStream encryptedOut, SecretKey key, byte[] iv) throws IOException {
        return run(Cipher.ENCRYPT_MODE, plain, encryptedOut, key, iv, OWN_THREAD);
    }

    private static Transfer run(int mode, InputStream in, OutputStream out, SecretKey key, byte[] iv, Executor executor) throws IOException {
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
        try (ChunkWriter output = new ChunkWriter(out, outDigest, CHUNK, executor)) {
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

    private static int update(Cipher cipher, byte[] buffer, int length, byte[] result) {
        try {
            int written = 0;
            for (int offset = 0; offset < length; offset += CIPHER_SLICE) {
                written += cipher.update(buffer, offset, Math.min(CIPHER_SLICE, length - offset), result, written);
            }
            return written;
        } catch (GeneralSecurityException e) {
            throw new KsefCryptoException("AES-256-CBC update failed: " + e.getClass().getSimpleName(), e);
        }
    }

    /** The size KSeF reports for an encrypted part: the plain size padded up to the next whole block. */
    public static long encryptedSize(long plainSize) {
        return 16 * (plainSize / 16 + 1);
    }
}
