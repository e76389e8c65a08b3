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
 * private key.
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
        byte[] nonce = new byte[NONCE];
        random.nextBytes(nonce);
        byte[] plain = new byte[48];
        System.arraycopy(data.keyBytes(), 0, plain, 0, 32);
        System.arraycopy(data.iv(), 0, plain, 32, 16);
        try {
            Cipher gcm = cipher(Cipher.ENCRYPT_MODE, nonce, referenceNumber);
            byte[] sealed = gcm.doFinal(plain);
            byte[] out = new byte[NONCE + sealed.length];
            System.arraycopy(nonce, 0, out, 0, NONCE);
            System.arraycopy(sealed, 0, out, NONCE, sealed.length);
            return Base64.getEncoder().encodeToString(out);
        } catch (GeneralSecurityException e) {
            throw new KsefCryptoException("cannot seal the key material of export " + referenceNumber, e);
        } finally {
            Arrays.fill(plain, (byte) 0);
        }
    }

    /** The key material of {@code referenceNumber}; fails when the store key changed or the value was tampered with. */
    public EncryptionData open(String sealed, String referenceNumber) {
        byte[] in = Base64.getDecoder().decode(sealed);
        byte[] plain = null;
        try {
            Cipher gcm = cipher(Cipher.DECRYPT_MODE, Arrays.copyOf(in, NONCE), referenceNumber);
            plain = gcm.doFinal(in, NONCE, in.length - NONCE);
            return new EncryptionData(Arrays.copyOf(plain, 32), Arrays.copyOfRange(plain, 32, 48), null);
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new KsefCryptoException("the stored key material of export " + referenceNumber + " does not open with the current store key", e);
        } finally {
            if (plain != null) {
                Arrays.fill(plain, (byte) 0);
            }
        }
    }

    private Cipher cipher(int mode, byte[] nonce, String referenceNumber) throws GeneralSecurityException {
        Cipher gcm = Cipher.getInstance("AES/GCM/NoPadding");
        gcm.init(mode, storeKey, new GCMParameterSpec(TAG_BITS, nonce));
        gcm.updateAAD(referenceNumber.getBytes(StandardCharsets.US_ASCII));
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
