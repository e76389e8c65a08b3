package dev.ksef.sync.crypto;

import dev.ksef.sync.api.EncryptionInfo;
import java.util.Arrays;
import java.util.Base64;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

/**
 * The symmetric key material of one export: a fresh AES-256 key and 16-byte IV, and the key wrapped for KSeF.
 * {@link #toString()} never prints the key or the IV.
 */
public final class EncryptionData {

    private final byte[] key;
    private final byte[] iv;
    private final EncryptionInfo encryptionInfo;

    public EncryptionData(byte[] key, byte[] iv, EncryptionInfo encryptionInfo) {
        if (key.length != 32 || iv.length != 16) {
            throw new IllegalArgumentException("AES-256 needs a 32-byte key and a 16-byte IV");
        }
        this.key = key.clone();
        this.iv = iv.clone();
        this.encryptionInfo = encryptionInfo;
    }

    public SecretKey secretKey() {
        return new SecretKeySpec(key, "AES");
    }

    public byte[] keyBytes() {
        return key.clone();
    }

    public byte[] iv() {
        return iv.clone();
    }

    /** What goes into the export request: the RSA-wrapped key, the IV in clear and the key id. */
    public EncryptionInfo encryptionInfo() {
        return encryptionInfo;
    }

    /** Overwrites the key in memory once the export is done. */
    public void destroy() {
        Arrays.fill(key, (byte) 0);
    }

    @Override
    public String toString() {
        return "EncryptionData[aes-256-cbc, publicKeyId=" + (encryptionInfo == null ? "-" : encryptionInfo.publicKeyId()) + ", key=***]";
    }

    static String b64(byte[] bytes) {
        return Base64.getEncoder().encodeToString(bytes);
    }
}
