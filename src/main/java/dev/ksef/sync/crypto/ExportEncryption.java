package dev.ksef.sync.crypto;

import dev.ksef.sync.api.EncryptionInfo;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;

/** Makes the per-export encryption data: a random AES-256 key and IV, the key wrapped with KSeF's SymmetricKeyEncryption certificate. */
public final class ExportEncryption {

    private final SecureRandom random;

    public ExportEncryption() {
        this(new SecureRandom());
    }

    public ExportEncryption(SecureRandom random) {
        this.random = random;
    }

    public EncryptionData create(X509Certificate symmetricKeyCertificate, String publicKeyId) {
        byte[] key = new byte[32];
        byte[] iv = new byte[16];
        random.nextBytes(key);
        random.nextBytes(iv);
        byte[] wrapped = RsaOaep.encrypt(symmetricKeyCertificate.getPublicKey(), key);
        return new EncryptionData(key, iv,
                new EncryptionInfo(EncryptionData.b64(wrapped), EncryptionData.b64(iv), publicKeyId));
    }
}
