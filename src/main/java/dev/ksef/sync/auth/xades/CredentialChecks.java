package dev.ksef.sync.auth.xades;

import static dev.ksef.sync.auth.xades.SigningCredentials.CERTIFICATE;
import static dev.ksef.sync.auth.xades.SigningCredentials.fail;

import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECKey;
import java.security.interfaces.RSAKey;
import java.time.Instant;
import java.util.Date;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x500.style.IETFUtils;

/** What {@link SigningCredentials} checks once it has read a certificate and its key. */
final class CredentialChecks {

    private static final SecureRandom RANDOM = new SecureRandom();

    private CredentialChecks() {
    }

    /** The key type, the key usage and the validity at {@code now}. */
    static X509Certificate check(X509Certificate certificate, Path file, Instant now) {
        String unsupported = SupportedKeys.unsupported(certificate.getPublicKey());
        if (unsupported != null) {
            throw fail(CERTIFICATE + " " + file + ": unsupported key " + unsupported + SupportedKeys.ACCEPTED);
        }
        boolean[] keyUsage = certificate.getKeyUsage();
        if (keyUsage != null && !keyUsage[0]) {
            throw fail(CERTIFICATE + " " + file + " is an Offline certificate (key usage without digitalSignature):"
                    + " log in with a KSeF certificate of type Authentication");
        }
        try {
            certificate.checkValidity(Date.from(now));
        } catch (CertificateExpiredException e) {
            throw fail(CERTIFICATE + " " + file + " expired on " + certificate.getNotAfter().toInstant() + " (" + subject(certificate) + ")");
        } catch (CertificateNotYetValidException e) {
            throw fail(CERTIFICATE + " " + file + " is not valid before " + certificate.getNotBefore().toInstant() + " (" + subject(certificate) + ")");
        }
        return certificate;
    }

    /** The credential, once a random challenge signed with {@code key} verifies with the certificate's public key. */
    static SigningCredential matched(PrivateKey key, X509Certificate certificate, String mismatch) {
        String algorithm = key instanceof RSAKey ? "SHA256withRSA" : key instanceof ECKey ? "SHA256withECDSA" : null;
        boolean matches = false;
        if (algorithm != null) {
            try {
                byte[] challenge = new byte[32];
                RANDOM.nextBytes(challenge);
                Signature signer = Signature.getInstance(algorithm);
                signer.initSign(key);
                signer.update(challenge);
                Signature verifier = Signature.getInstance(algorithm);
                verifier.initVerify(certificate.getPublicKey());
                verifier.update(challenge);
                matches = verifier.verify(signer.sign());
            } catch (GeneralSecurityException | RuntimeException e) {
                matches = false;
            }
        }
        if (!matches) {
            throw fail(mismatch);
        }
        return new SigningCredential(key, certificate);
    }

    private static String subject(X509Certificate certificate) {
        X500Name name = X500Name.getInstance(certificate.getSubjectX500Principal().getEncoded());
        RDN[] commonNames = name.getRDNs(BCStyle.CN);
        return commonNames.length > 0 ? "CN=" + IETFUtils.valueToString(commonNames[0].getFirst().getValue())
                : certificate.getSubjectX500Principal().getName();
    }
}
