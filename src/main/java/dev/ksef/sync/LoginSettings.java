package dev.ksef.sync;

import dev.ksef.sync.auth.LoginCredential;
import dev.ksef.sync.auth.xades.AuthTokenRequestDocument;
import dev.ksef.sync.auth.xades.SigningCredential;
import dev.ksef.sync.auth.xades.SigningCredentials;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The login credential from the settings: with {@code ksef.auth.certificate} set, the certificate (and
 * {@code ksef.auth.private-key}, opened with the secret {@code ksef.auth.key-password}) signs a XAdES login and no token
 * is needed; otherwise the KSeF token ({@code KSEF_TOKEN} or {@code ksef.token-file}). Every problem is a
 * {@link KsefConfigurationException} of one line, raised before anything starts.
 */
public final class LoginSettings {

    private static final Logger LOG = LoggerFactory.getLogger(LoginSettings.class);
    private static final Duration EXPIRY_WARNING = Duration.ofDays(30);

    private LoginSettings() {
    }

    /** @param property a setting's value, or null / "" when not set */
    public static LoginCredential credential(Function<String, String> property, Secrets secrets, Instant now) {
        String certificate = value(property, "ksef.auth.certificate");
        if (certificate.isEmpty()) {
            String token = secrets.ksefToken(value(property, "ksef.token-file"));
            if (token.isEmpty()) {
                throw new KsefConfigurationException("no KSeF credential: set ksef.auth.certificate (certificate login, with "
                        + "KSEF_AUTH_KEY_PASSWORD) or the environment variable KSEF_TOKEN or ksef.token-file (KSeF token login)");
            }
            return new LoginCredential.Token(token);
        }
        String subjectIdentifier = value(property, "ksef.auth.subject-identifier");
        if (subjectIdentifier.isEmpty()) {
            subjectIdentifier = AuthTokenRequestDocument.CERTIFICATE_SUBJECT;
        } else if (!subjectIdentifier.equals(AuthTokenRequestDocument.CERTIFICATE_SUBJECT)
                && !subjectIdentifier.equals(AuthTokenRequestDocument.CERTIFICATE_FINGERPRINT)) {
            throw new KsefConfigurationException("ksef.auth.subject-identifier must be certificateSubject or certificateFingerprint, not '"
                    + subjectIdentifier + "'");
        }
        String chain = value(property, "ksef.auth.verify-certificate-chain");
        if (!chain.isEmpty() && !chain.equalsIgnoreCase("true") && !chain.equalsIgnoreCase("false")) {
            throw new KsefConfigurationException("ksef.auth.verify-certificate-chain must be true, false or empty (not sent), not '" + chain + "'");
        }
        SigningCredential signing = SigningCredentials.load(certificate, value(property, "ksef.auth.private-key"),
                secrets.get("ksef.auth.key-password").toCharArray(), now);
        Duration left = Duration.between(now, signing.certificate().getNotAfter().toInstant());
        if (left.compareTo(EXPIRY_WARNING) < 0) {
            LOG.warn("The KSeF login certificate {} expires in {} days ({}): get a new one before then",
                    signing.certificate().getSubjectX500Principal().getName(), left.toDays(), signing.certificate().getNotAfter().toInstant());
        }
        return new LoginCredential.Certificate(signing, subjectIdentifier, chain.isEmpty() ? null : Boolean.valueOf(chain.toLowerCase()));
    }

    private static String value(Function<String, String> property, String key) {
        String value = property.apply(key);
        return value == null ? "" : value.strip();
    }
}
