package dev.ksef.sync.crypto;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Protects an export's AES key and IV at rest, so a running export can be resumed after a restart without its key
 * material ever being stored in clear: AES-256-GCM under the store key, with the export's reference number as
 * associated data (a sealed key opens only for the export it was made for). The store key is {@code ksef.store.key}
 * (base64, 32 bytes) or, when that is not set, derived with HKDF-SHA256 from the KSeF token or the login certificate's
 * private key. The same seal protects other secrets at rest ({@link #sealSecret}: a tenant's KSeF token), each bound to
 * its own associated data.
 */
public final class KeySeal {

    private static final int NONCE = 12;
    private static final int TAG_BITS = 128;
    private static final byte[] HKDF_INFO = "ksef-camel-sync export key seal v1".getBytes(StandardCharsets.US_ASCII);

    private final SecretKeySpec storeKey;
    private final SecureRandom random = new SecureRandom();

    private KeySeal(byte[] storeKey) {
        this.storeKey = new SecretKeySpec(storeKey, "AES");
    }

    /** From {@code ksef.store.key} (base64, 32 bytes) alone, for secrets that must not depend on a login credential. */
    public static KeySeal of(String configuredKey) {
        if (configuredKey == null || configuredKey.isBlank()) {
            throw new IllegalArgumentException("ksef.store.key is not set");
        }
        return of(configuredKey, new byte[0]);
    }

    /** From {@code ksef.store.key} if set, else derived from the KSeF token. */
    public static KeySeal of(String configuredKey, String ksefToken) {
        return of(configuredKey, ksefToken.getBytes(StandardCharsets.UTF_8));
    }

    /** From {@code ksef.store.key} if set, else derived from the login's secret (the KSeF token, or the private key). */
    public static KeySeal of(String configuredKey, byte[] credentialSecret) {
        if (configuredKey != null && !configuredKey.isBlank()) {
            byte[] key = Base64.getDecoder().decode(configuredKey.trim());
            if (key.length != 32) {
                throw new IllegalArgumentException("ksef.store.key must be 32 bytes in base64");
            }
            return new KeySeal(key);
        }
        return new KeySeal(hkdf(credentialSecret));
    }

    public String seal(EncryptionData data, String referenceNumber) {
        byte[] plain = new byte[48];
        System.arraycopy(data.keyBytes(), 0, plain, 0, 32);
        System.arraycopy(data.iv(), 0, plain, 32, 16);
        try {
            return sealBytes(plain, referenceNumber.getBytes(StandardCharsets.US_ASCII));
        } catch (GeneralSecurityException e) {
            throw new KsefCryptoException("cannot seal the key material of export " + referenceNumber, e);
        } finally {
            Arrays.fill(plain, (byte) 0);
        }
    }

    /** The key material of {@code referenceNumber}; fails when the store key changed or the value was tampered with. */
    public EncryptionData open(String sealed, String referenceNumber) {
        byte[] plain = null;
        try {
            plain = openBytes(sealed, referenceNumber.getBytes(StandardCharsets.US_ASCII));
            return new EncryptionData(Arrays.copyOf(plain, 32), Arrays.copyOfRange(plain, 32, 48), null);
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new KsefCryptoException("the stored key material of export " + referenceNumber + " does not open with the current store key", e);
        } finally {
            if (plain != null) {
                Arrays.fill(plain, (byte) 0);
            }
        }
    }

    /**
     * Any secret sealed the same way (base64 of nonce, ciphertext and tag), bound to {@code aad} (UTF-8): it opens only
     * with the same store key and the same {@code aad}. The caller clears {@code secret}.
     */
    public String sealSecret(byte[] secret, String aad) {
        try {
            return sealBytes(secret, aad.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new KsefCryptoException("cannot seal a secret", e);
        }
    }

    /** The secret of {@link #sealSecret}; fails when the store key or {@code aad} differ, or the value was altered. */
    public byte[] openSecret(String sealed, String aad) {
        try {
            return openBytes(sealed, aad.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new KsefCryptoException("a sealed secret does not open with the current store key", e);
        }
    }

    private String sealBytes(byte[] plain, byte[] aad) throws GeneralSecurityException {
        byte[] nonce = new byte[NONCE];
        random.nextBytes(nonce);
        byte[] sealed = cipher(Cipher.ENCRYPT_MODE, nonce, aad).doFinal(plain);
        byte[] out = new byte[NONCE + sealed.length];
        System.arraycopy(nonce, 0, out, 0, NONCE);
        System.arraycopy(sealed, 0, out, NONCE, sealed.length);
        return Base64.getEncoder().encodeToString(out);
    }

    private byte[] openBytes(String sealed, byte[] aad) throws GeneralSecurityException {
        byte[] in = Base64.getDecoder().decode(sealed);
        if (in.length < NONCE + TAG_BITS / 8) {
            throw new GeneralSecurityException("too short to be a sealed value");
        }
        return cipher(Cipher.DECRYPT_MODE, Arrays.copyOf(in, NONCE), aad).doFinal(in, NONCE, in.length - NONCE);
    }

    private Cipher cipher(int mode, byte[] nonce, byte[] aad) throws GeneralSecurityException {
        Cipher gcm = Cipher.getInstance("AES/GCM/NoPadding");
        gcm.init(mode, storeKey, new GCMParameterSpec(TAG_BITS, nonce));
        gcm.updateAAD(aad);
        return gcm;
    }

    /** HKDF-SHA256 (RFC 5869) with an all-zero salt, one 32-byte block. */
    static byte[] hkdf(byte[] secret) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(new byte[32], "HmacSHA256"));
            byte[] prk = mac.doFinal(secret);
            mac.init(new SecretKeySpec(prk, "HmacSHA256"));
            mac.update(HKDF_INFO);
            mac.update((byte) 1);
            return mac.doFinal();
        } catch (GeneralSecurityException e) {
            throw new KsefCryptoException("cannot derive the store key", e);
        }
    }
}
