package dev.ksef.sync.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import javax.crypto.Cipher;
import org.junit.jupiter.api.Test;

class RsaOaepTest {

    private static final byte[] KAT_PLAIN = "KSEF-TOKEN-KAT|1752236636015".getBytes(StandardCharsets.UTF_8);

    /** Ciphertexts made by OpenSSL (pkeyutl, rsa_oaep_md:sha256) with MGF1-SHA-256 and, for contrast, MGF1-SHA-1. */
    @Test
    void decryptsOpenSslCiphertextMadeWithSha256AndMgf1Sha256() throws Exception {
        PrivateKey key = katKey();
        assertArrayEquals(KAT_PLAIN, RsaOaep.decrypt(key, resourceBase64("oaep-sha256-mgf1sha256.b64")));
    }

    @Test
    void rejectsCiphertextMadeWithMgf1Sha1AsKsefDoes() throws Exception {
        PrivateKey key = katKey();
        assertThrows(KsefCryptoException.class, () -> RsaOaep.decrypt(key, resourceBase64("oaep-sha256-mgf1sha1.b64")));
    }

    @Test
    void jdkDefaultOaepSha256TransformationIsNotWhatKsefWants() throws Exception {
        KeyPair keys = rsa();
        Cipher jdkDefault = Cipher.getInstance("RSA/ECB/OAEPWithSHA-256AndMGF1Padding");
        jdkDefault.init(Cipher.ENCRYPT_MODE, keys.getPublic());
        byte[] wrongParameters = jdkDefault.doFinal(KAT_PLAIN);
        assertThrows(KsefCryptoException.class, () -> RsaOaep.decrypt(keys.getPrivate(), wrongParameters));
    }

    @Test
    void roundTripsAnAesKey() throws Exception {
        KeyPair keys = rsa();
        byte[] aesKey = new byte[32];
        new java.security.SecureRandom().nextBytes(aesKey);
        byte[] wrapped = RsaOaep.encrypt(keys.getPublic(), aesKey);
        assertEquals(256, wrapped.length);
        assertArrayEquals(aesKey, RsaOaep.decrypt(keys.getPrivate(), wrapped));
    }

    private static KeyPair rsa() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        return generator.generateKeyPair();
    }

    private static PrivateKey katKey() throws Exception {
        String pem = new String(resource("oaep-kat-private.pem"), StandardCharsets.US_ASCII)
                .replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(pem)));
    }

    private static byte[] resourceBase64(String name) throws Exception {
        return Base64.getDecoder().decode(new String(resource(name), StandardCharsets.US_ASCII).trim());
    }

    private static byte[] resource(String name) throws Exception {
        try (InputStream in = RsaOaepTest.class.getResourceAsStream("/crypto/" + name)) {
            return in.readAllBytes();
        }
    }
}
