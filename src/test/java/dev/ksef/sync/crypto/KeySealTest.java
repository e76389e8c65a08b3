package dev.ksef.sync.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Base64;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class KeySealTest {

    private static final byte[] KEY = HexFormat.of().parseHex("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");
    private static final byte[] IV = HexFormat.of().parseHex("f0f1f2f3f4f5f6f7f8f9fafbfcfdfeff");

    @Test
    void aSealedKeyOpensOnlyForItsExportAndStoreKeyAndNeverShowsTheKey() {
        KeySeal seal = KeySeal.of("", "ksef-token-1");
        String sealed = seal.seal(new EncryptionData(KEY, IV, null), "20261122-EH-1");
        assertFalse(sealed.contains(Base64.getEncoder().encodeToString(KEY)));
        assertFalse(new String(Base64.getDecoder().decode(sealed), java.nio.charset.StandardCharsets.ISO_8859_1)
                .contains(new String(KEY, java.nio.charset.StandardCharsets.ISO_8859_1)));

        EncryptionData opened = KeySeal.of("", "ksef-token-1").open(sealed, "20261122-EH-1");
        assertArrayEquals(KEY, opened.keyBytes());
        assertArrayEquals(IV, opened.iv());

        assertThrows(KsefCryptoException.class, () -> seal.open(sealed, "20261122-EH-2"), "bound to its reference number");
        assertThrows(KsefCryptoException.class, () -> KeySeal.of("", "another-token").open(sealed, "20261122-EH-1"), "another store key");
        String configured = Base64.getEncoder().encodeToString(new byte[32]);
        assertThrows(KsefCryptoException.class, () -> KeySeal.of(configured, "ksef-token-1").open(sealed, "20261122-EH-1"));
        assertThrows(IllegalArgumentException.class, () -> KeySeal.of("c2hvcnQ=", "t"), "a configured key must be 32 bytes");
    }

    @Test
    void theSealedFormatIsNonceThenCiphertextAndTagInBase64() throws Exception {
        // made with the JDK's AES-GCM alone: what an earlier version stored keeps opening
        byte[] storeKey = new byte[32];
        for (int i = 0; i < 32; i++) {
            storeKey[i] = (byte) (i * 7);
        }
        byte[] nonce = HexFormat.of().parseHex("0102030405060708090a0b0c");
        javax.crypto.Cipher gcm = javax.crypto.Cipher.getInstance("AES/GCM/NoPadding");
        gcm.init(javax.crypto.Cipher.ENCRYPT_MODE, new javax.crypto.spec.SecretKeySpec(storeKey, "AES"), new javax.crypto.spec.GCMParameterSpec(128, nonce));
        gcm.updateAAD("20261122-EH-1".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        byte[] plain = new byte[48];
        System.arraycopy(KEY, 0, plain, 0, 32);
        System.arraycopy(IV, 0, plain, 32, 16);
        byte[] sealed = gcm.doFinal(plain);
        byte[] stored = new byte[12 + sealed.length];
        System.arraycopy(nonce, 0, stored, 0, 12);
        System.arraycopy(sealed, 0, stored, 12, sealed.length);

        EncryptionData opened = KeySeal.of(Base64.getEncoder().encodeToString(storeKey)).open(Base64.getEncoder().encodeToString(stored), "20261122-EH-1");
        assertArrayEquals(KEY, opened.keyBytes());
        assertArrayEquals(IV, opened.iv());
    }

    @Test
    void aSealedSecretOpensOnlyWithItsStoreKeyAndAssociatedData() {
        String storeKey = Base64.getEncoder().encodeToString(KEY);
        byte[] secret = "a KSeF token|with text".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        String sealed = KeySeal.of(storeKey).sealSecret(secret, "ksef-tenant-token:5265877635");
        assertFalse(new String(Base64.getDecoder().decode(sealed), java.nio.charset.StandardCharsets.ISO_8859_1).contains("KSeF token"));
        assertFalse(sealed.equals(KeySeal.of(storeKey).sealSecret(secret, "ksef-tenant-token:5265877635")), "a random nonce each time");

        assertArrayEquals(secret, KeySeal.of(storeKey).openSecret(sealed, "ksef-tenant-token:5265877635"));
        assertThrows(KsefCryptoException.class, () -> KeySeal.of(storeKey).openSecret(sealed, "ksef-tenant-token:7010004380"), "bound to its NIP");
        String otherKey = Base64.getEncoder().encodeToString(new byte[32]);
        assertThrows(KsefCryptoException.class, () -> KeySeal.of(otherKey).openSecret(sealed, "ksef-tenant-token:5265877635"));
        assertThrows(KsefCryptoException.class, () -> KeySeal.of(storeKey).openSecret("AAAA", "ksef-tenant-token:5265877635"), "too short");
        assertThrows(KsefCryptoException.class, () -> KeySeal.of(storeKey).openSecret("not base64!", "ksef-tenant-token:5265877635"));
    }
}
