package dev.ksef.sync.auth.xades;

import static dev.ksef.sync.auth.xades.SigningCredentials.fail;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMException;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8DecryptorProviderBuilder;
import org.bouncycastle.openssl.jcajce.JcePEMDecryptorProviderBuilder;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;

/**
 * The certificates and the private key in a PEM file (or a lone DER certificate). A key is one of {@code PRIVATE KEY}
 * (PKCS#8), {@code ENCRYPTED PRIVATE KEY} (PKCS#8 with PBES2/PBES1), {@code RSA PRIVATE KEY} or {@code EC PRIVATE KEY}
 * (traditional, plain or encrypted with a {@code DEK-Info} header); it is decrypted and turned into a JDK key
 * ({@code RSAPrivateCrtKey}, {@code ECPrivateKey}) only when asked. Other PEM blocks (EC PARAMETERS, public keys) are
 * skipped.
 */
final class PemKeys {

    /** The one BouncyCastle instance of the bundle, passed to builders and never registered in the JVM. */
    static final Provider BOUNCY_CASTLE = new BouncyCastleProvider();

    static final String KEY_FORMATS = "PEM PRIVATE KEY, ENCRYPTED PRIVATE KEY, RSA PRIVATE KEY or EC PRIVATE KEY";

    /** @param key a key object as PEMParser returns it, still encrypted if the file was; {@code null} when none */
    record Content(List<X509Certificate> certificates, Object key) {
    }

    private PemKeys() {
    }

    static Content read(String setting, Path file, byte[] bytes) {
        List<X509Certificate> certificates = new ArrayList<>();
        List<Object> keys = new ArrayList<>();
        String text = new String(bytes, StandardCharsets.ISO_8859_1);
        if (text.contains("-----BEGIN ")) {
            try (PEMParser parser = new PEMParser(new StringReader(text))) {
                for (Object o = parser.readObject(); o != null; o = parser.readObject()) {
                    if (o instanceof X509CertificateHolder holder) {
                        certificates.add(new JcaX509CertificateConverter().getCertificate(holder));
                    } else if (o instanceof PrivateKeyInfo || o instanceof PKCS8EncryptedPrivateKeyInfo || o instanceof PEMKeyPair
                            || o instanceof PEMEncryptedKeyPair) {
                        keys.add(o);
                    }
                }
            } catch (IOException | CertificateException | RuntimeException e) {
                throw fail(setting + " " + file + " is a damaged PEM file: expected a PEM CERTIFICATE or " + KEY_FORMATS, e);
            }
        } else if (bytes.length > 0 && bytes[0] == 0x30) {
            try {
                certificates.add((X509Certificate) CertificateFactory.getInstance("X.509")
                        .generateCertificate(new ByteArrayInputStream(bytes)));
            } catch (CertificateException | ClassCastException e) {
                // neither PEM nor a DER certificate: the caller says what it expected
            }
        }
        if (keys.size() > 1) {
            throw fail(setting + " " + file + " holds " + keys.size() + " private keys: keep only the key of the certificate");
        }
        return new Content(List.copyOf(certificates), keys.isEmpty() ? null : keys.get(0));
    }

    /** The JDK private key in {@code key} (from {@link #read}), decrypted with {@code password} if it is encrypted. */
    static PrivateKey privateKey(String setting, Path file, Object key, char[] password) {
        PrivateKeyInfo info;
        try {
            if (key instanceof PKCS8EncryptedPrivateKeyInfo encrypted) {
                info = encrypted.decryptPrivateKeyInfo(new JceOpenSSLPKCS8DecryptorProviderBuilder().setProvider(BOUNCY_CASTLE).build(password));
            } else if (key instanceof PEMEncryptedKeyPair encrypted) {
                info = encrypted.decryptKeyPair(new JcePEMDecryptorProviderBuilder().setProvider(BOUNCY_CASTLE).build(password))
                        .getPrivateKeyInfo();
            } else if (key instanceof PEMKeyPair pair) {
                info = pair.getPrivateKeyInfo();
            } else {
                info = (PrivateKeyInfo) key;
            }
        } catch (Exception e) {
            // a wrong password shows as bad padding, or (rarely) as garbage that does not parse: both mean the same
            throw SigningCredentials.wrongPassword(file, e);
        }
        try {
            return new JcaPEMKeyConverter().getPrivateKey(info);
        } catch (PEMException | RuntimeException e) {
            throw fail(setting + " " + file + ": unsupported key " + SupportedKeys.describe(info.getPrivateKeyAlgorithm())
                    + SupportedKeys.ACCEPTED, e);
        }
    }
}
