package dev.ksef.sync.api;

import java.time.OffsetDateTime;
import java.util.List;

/** One item of {@code GET /security/public-key-certificates}: base64 DER certificate, ids, validity and usages. */
public record PublicKeyCertificate(String certificate, String certificateId, String publicKeyId, OffsetDateTime validFrom,
                                   OffsetDateTime validTo, List<String> usage) {
}
