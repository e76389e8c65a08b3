package dev.ksef.sync.crypto;

import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.Base64;

/** The {@code encryptedToken} of a KSeF-token login: RSA-OAEP over the UTF-8 bytes of {@code token|timestampMs}. */
public final class TokenEncryption {

    private TokenEncryption() {
    }

    public static String encrypt(String ksefToken, long challengeTimestampMs, X509Certificate tokenEncryptionCertificate) {
        byte[] plain = (ksefToken + "|" + challengeTimestampMs).getBytes(StandardCharsets.UTF_8);
        return Base64.getEncoder().encodeToString(RsaOaep.encrypt(tokenEncryptionCertificate.getPublicKey(), plain));
    }
}
