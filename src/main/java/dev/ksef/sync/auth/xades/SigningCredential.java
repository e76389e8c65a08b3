package dev.ksef.sync.auth.xades;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECKey;
import java.security.interfaces.RSAKey;
import java.util.HexFormat;
import javax.xml.crypto.dsig.SignatureMethod;

/**
 * A key and its certificate that sign KSeF login documents: a KSeF certificate (type Authentication), a qualified seal
 * or signature, or a self-signed certificate on KSeF TEST. It holds no context: one credential signs the
 * {@code AuthTokenRequest} of any context its subject may act in. Only RSA (2048 bits or more) and EC keys on P-256,
 * P-384 or P-521 get this far ({@link SigningCredentials} refuses the rest).
 */
public record SigningCredential(PrivateKey privateKey, X509Certificate certificate) {

    /** The XMLDSig signature method for the key: RSA PKCS#1 v1.5 with SHA-256, or ECDSA with the curve's SHA-2. */
    public String signatureMethod() {
        if (privateKey instanceof RSAKey) {
            return SignatureMethod.RSA_SHA256;
        }
        if (privateKey instanceof ECKey ec) {
            int bits = ec.getParams().getCurve().getField().getFieldSize();
            return bits <= 256 ? SignatureMethod.ECDSA_SHA256 : bits <= 384 ? SignatureMethod.ECDSA_SHA384 : SignatureMethod.ECDSA_SHA512;
        }
        throw new IllegalStateException("unsupported key type " + privateKey.getAlgorithm());
    }

    /** "RSA-2048", "EC P-256": for log lines. */
    public String keyDescription() {
        if (privateKey instanceof RSAKey rsa) {
            return "RSA-" + rsa.getModulus().bitLength();
        }
        if (privateKey instanceof ECKey ec) {
            return "EC P-" + ec.getParams().getCurve().getField().getFieldSize();
        }
        return privateKey.getAlgorithm();
    }

    /** SHA-256 of the certificate's DER, upper-case hex: the subject under {@code certificateFingerprint}. */
    public String fingerprint() {
        return fingerprint(certificate);
    }

    public static String fingerprint(X509Certificate certificate) {
        try {
            return HexFormat.of().withUpperCase().formatHex(MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded()));
        } catch (CertificateEncodingException e) {
            throw new IllegalStateException("the certificate cannot be encoded", e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String toString() {
        return "SigningCredential[" + keyDescription() + ", subject=" + certificate.getSubjectX500Principal().getName() + ", key=***]";
    }
}
