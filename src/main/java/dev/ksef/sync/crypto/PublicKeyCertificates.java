package dev.ksef.sync.crypto;

import dev.ksef.sync.api.PublicKeyCertificate;
import java.io.ByteArrayInputStream;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.OffsetDateTime;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;

/**
 * Picks the KSeF public-key certificate for a usage by the documented rule: usage matches, valid now,
 * and of several the one with the latest {@code validFrom}.
 */
public final class PublicKeyCertificates {

    public static final String KSEF_TOKEN_ENCRYPTION = "KsefTokenEncryption";
    public static final String SYMMETRIC_KEY_ENCRYPTION = "SymmetricKeyEncryption";

    /** A chosen certificate, parsed, with the id KSeF wants back in requests. */
    public record Selected(X509Certificate certificate, String publicKeyId) {
    }

    private PublicKeyCertificates() {
    }

    public static Selected select(List<PublicKeyCertificate> published, String usage, OffsetDateTime now) {
        PublicKeyCertificate chosen = published.stream()
                .filter(c -> c.usage() != null && c.usage().contains(usage))
                .filter(c -> (c.validFrom() == null || !c.validFrom().isAfter(now)) && (c.validTo() == null || c.validTo().isAfter(now)))
                .max(Comparator.comparing(PublicKeyCertificate::validFrom, Comparator.nullsFirst(Comparator.naturalOrder())))
                .orElseThrow(() -> new KsefCryptoException("KSeF publishes no valid certificate with usage " + usage));
        return new Selected(parse(chosen.certificate()), chosen.publicKeyId());
    }

    public static X509Certificate parse(String base64Der) {
        try {
            return (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(Base64.getDecoder().decode(base64Der)));
        } catch (CertificateException | IllegalArgumentException e) {
            throw new KsefCryptoException("KSeF public-key certificate is not base64 DER X.509: " + e.getMessage(), e);
        }
    }
}
