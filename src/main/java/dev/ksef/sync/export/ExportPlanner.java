package dev.ksef.sync.export;

import dev.ksef.sync.api.KsefJson;
import dev.ksef.sync.auth.KsefSession;
import dev.ksef.sync.crypto.ExportEncryption;
import dev.ksef.sync.crypto.PublicKeyCertificates;
import dev.ksef.sync.store.ContinuationPoints;
import java.io.IOException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.apache.camel.Exchange;

/**
 * Plans the next export of a subject type: the window starts at its continuation point, fresh AES key material is
 * wrapped with KSeF's SymmetricKeyEncryption key, and the request body is built. The plan travels as {@link ExportRun}
 * in the exchange property {@code ksefExport}; the body becomes the request JSON.
 */
public final class ExportPlanner {

    public static final String EXPORT = "ksefExport";
    public static final String SUBJECT_TYPE = "ksefSubjectType";
    public static final String QUEUE = "ksefQueue";

    private final ContinuationPoints continuationPoints;
    private final KsefSession session;
    private final ExportEncryption encryption = new ExportEncryption();

    public ExportPlanner(ContinuationPoints continuationPoints, KsefSession session) {
        this.continuationPoints = continuationPoints;
        this.session = session;
    }

    public String plan(Exchange exchange) throws IOException {
        String subjectType = exchange.getProperty(SUBJECT_TYPE, String.class);
        String queue = exchange.getProperty(QUEUE, String.class);
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        OffsetDateTime from = continuationPoints.current(subjectType);
        var certificate = session.certificate(PublicKeyCertificates.SYMMETRIC_KEY_ENCRYPTION);
        var keys = encryption.create(certificate.certificate(), certificate.publicKeyId());
        var request = ExportRequests.incremental(subjectType, from, now, keys.encryptionInfo());
        ExportRun run = new ExportRun(subjectType, queue, request.filters().dateRange().from(), request.filters().dateRange().to(), keys);
        exchange.setProperty(EXPORT, run);
        return KsefJson.mapper().writeValueAsString(request);
    }
}
