package dev.ksef.sync.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Random;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

class AesCbcStreamTest {

    private static final SecretKeySpec KEY = new SecretKeySpec(
            HexFormat.of().parseHex("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"), "AES");
    private static final byte[] IV = HexFormat.of().parseHex("f0f1f2f3f4f5f6f7f8f9fafbfcfdfeff");

    /** Ciphertext from {@code openssl enc -aes-256-cbc} (PKCS#7 padding) with the key and IV above. */
    @Test
    void decryptsOpenSslKnownAnswer() throws Exception {
        byte[] encrypted = Base64.getDecoder().decode("a0ZVkAZa05lP+mg/0DGLeDUEgITqLkQTlqX0/5HPIAiq7QhmSiN/dA8ivJ77Owk5");
        ByteArrayOutputStream plain = new ByteArrayOutputStream();
        AesCbcStream.Transfer transfer = AesCbcStream.decrypt(new ByteArrayInputStream(encrypted), plain, KEY, IV);
        assertEquals("KSeF part known answer test, 45 bytes long!!", plain.toString(StandardCharsets.UTF_8));
        assertEquals(48, transfer.encryptedSize());
        assertEquals(44, transfer.plainSize());
        assertEquals(Sha256.base64(encrypted), transfer.encryptedHash());
        assertEquals(Sha256.base64(plain.toByteArray()), transfer.plainHash());
    }

    @Test
    void roundTripsSizesAcrossBufferBoundaries() throws Exception {
        Random random = new Random(7);
        for (int size : new int[] {0, 1, 15, 16, 17, 262_143, 262_144, 262_145, 1_000_003}) {
            byte[] data = new byte[size];
            random.nextBytes(data);
            ByteArrayOutputStream encrypted = new ByteArrayOutputStream();
            AesCbcStream.Transfer out = AesCbcStream.encrypt(new ByteArrayInputStream(data), encrypted, KEY, IV);
            assertEquals(AesCbcStream.encryptedSize(size), encrypted.size(), "size " + size);
            assertEquals(out.encryptedSize(), encrypted.size());
            ByteArrayOutputStream decrypted = new ByteArrayOutputStream();
            AesCbcStream.Transfer in = AesCbcStream.decrypt(new ByteArrayInputStream(encrypted.toByteArray()), decrypted, KEY, IV);
            assertArrayEquals(data, decrypted.toByteArray(), "size " + size);
            assertEquals(out.plainHash(), in.plainHash());
            assertEquals(out.encryptedHash(), in.encryptedHash());
        }
    }

    @Test
    void aFailingOutputFailsTheTransferAndNothingIsWrittenAfterIt() throws Exception {
        byte[] data = new byte[1_000_000];
        ByteArrayOutputStream encrypted = new ByteArrayOutputStream();
        AesCbcStream.encrypt(new ByteArrayInputStream(data), encrypted, KEY, IV);
        java.util.concurrent.atomic.AtomicLong written = new java.util.concurrent.atomic.AtomicLong();
        java.io.OutputStream diskFull = new java.io.OutputStream() {
            @Override
            public void write(int b) {
                throw new UnsupportedOperationException();
            }

            @Override
            public void write(byte[] b, int off, int len) throws java.io.IOException {
                if (written.get() > 300_000) {
                    throw new java.io.IOException("No space left on device");
                }
                written.addAndGet(len);
            }
        };
        java.io.IOException e = assertThrows(java.io.IOException.class,
                () -> AesCbcStream.decrypt(new ByteArrayInputStream(encrypted.toByteArray()), diskFull, KEY, IV));
        assertEquals("No space left on device", e.getMessage());
        long after = written.get();
        assertEquals(2 * 262_144 - 16, after, "two chunks went out before the disk filled (decryption holds back a block: it may be padding)");
    }

    @Test
    void wrongKeyIsANamedCryptoErrorNotGarbage() {
        byte[] encrypted = Base64.getDecoder().decode("a0ZVkAZa05lP+mg/0DGLeDUEgITqLkQTlqX0/5HPIAiq7QhmSiN/dA8ivJ77Owk5");
        SecretKeySpec other = new SecretKeySpec(new byte[32], "AES");
        KsefCryptoException e = assertThrows(KsefCryptoException.class,
                () -> AesCbcStream.decrypt(new ByteArrayInputStream(encrypted), new ByteArrayOutputStream(), other, IV));
        assertEquals(true, e.getMessage().contains("after 48 bytes"));
    }
}
