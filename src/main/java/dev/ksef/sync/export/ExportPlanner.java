package dev.ksef.sync.export;

import dev.ksef.sync.api.KsefJson;
import dev.ksef.sync.auth.KsefSession;
import dev.ksef.sync.auth.KsefSessions;
import dev.ksef.sync.crypto.ExportEncryption;
import dev.ksef.sync.crypto.KsefCryptoException;
import dev.ksef.sync.crypto.PublicKeyCertificates;
import dev.ksef.sync.store.ContinuationPoints;
import dev.ksef.sync.store.ExportLog;
import java.io.IOException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Plans the next export of a subject type. An export of it still RUNNING in the store (the process stopped while it
 * was being polled or delivered) is resumed: same reference, window and key, no new export spent. Otherwise the window
 * starts at the continuation point, fresh AES key material is wrapped with KSeF's SymmetricKeyEncryption key, and the
 * request body is built, unless KSeF may already count {@code maxInFlight} running exports for the context. The plan
 * travels as {@link ExportRun} in the exchange property {@code ksefExport}; the body becomes the request JSON (null
 * when resuming).
 */
public final class ExportPlanner {

    public static final String EXPORT = "ksefExport";
    public static final String SUBJECT_TYPE = "ksefSubjectType";
    public static final String QUEUE = "ksefQueue";
    public static final String REFERENCE = "ksefExportReference";
    /** Where the first sync of the subject type starts, when the trigger says (a Kamelet's initialFrom). */
    public static final String INITIAL_FROM = "ksefInitialFrom";
    /** How long KSeF keeps an export (and counts an unfinished one). */
    static final Duration RETENTION = Duration.ofDays(7);
    private static final Logger LOG = LoggerFactory.getLogger("dev.ksef.sync.export");

    private final ContinuationPoints continuationPoints;
    private final ExportLog exportLog;
    private final KsefSessions sessions;
    private final int maxInFlight;
    private final String compressionType;
    private final ExportEncryption encryption = new ExportEncryption();

    /** Exports ask for {@code Zip} packages. */
    public ExportPlanner(ContinuationPoints continuationPoints, ExportLog exportLog, KsefSessions sessions, int maxInFlight) {
        this(continuationPoints, exportLog, sessions, maxInFlight, "Zip");
    }

    /** Exports ask for {@code compressionType} packages: {@code Zip} or {@code TarGz} (ksef.export.compression). */
    public ExportPlanner(ContinuationPoints continuationPoints, ExportLog exportLog, KsefSessions sessions, int maxInFlight,
                         String compressionType) {
        this.compressionType = compressionType;
        this.continuationPoints = continuationPoints;
        this.exportLog = exportLog;
        this.sessions = sessions;
        this.maxInFlight = maxInFlight;
    }

    public String plan(Exchange exchange) throws IOException {
        String subjectType = exchange.getProperty(SUBJECT_TYPE, String.class);
        String nip = exchange.getProperty(KsefSessions.CONTEXT_NIP, String.class);
        KsefSession session = sessions.of(nip);
        String queue = exchange.getProperty(QUEUE, String.class);
        exchange.removeProperty(REFERENCE);
        var stored = exportLog.resumable(nip, subjectType);
        if (stored.isPresent()) {
            var s = stored.get();
            try {
                ExportRun run = new ExportRun(nip, subjectType, queue, s.from(), s.to(), session.keySeal().open(s.sealedKey(), s.referenceNumber()));
                run.referenceNumber = s.referenceNumber();
                run.acceptedAt = s.startedAt();
                run.resumed = true;
                exchange.setProperty(EXPORT, run);
                exchange.setProperty(REFERENCE, run.referenceNumber);
                LOG.info("{} {}: resuming export {} (window {}..{}, accepted {})", nip, subjectType, run.referenceNumber, run.from,
                        run.to == null ? "HWM" : run.to, run.acceptedAt);
                return null;
            } catch (KsefCryptoException | IllegalArgumentException e) {
                exportLog.closed(s.referenceNumber(), "ABANDONED", e.getMessage());
                LOG.warn("{} {}: export {} cannot be resumed ({}); a new export takes its window", nip, subjectType, s.referenceNumber(), e.getMessage());
            }
        }
        int inFlight = exportLog.inFlight(nip, RETENTION);
        if (inFlight >= maxInFlight) {
            throw new ExportFailedException(nip + " " + subjectType + ": KSeF may still count " + inFlight + " unfinished exports of this context (limit "
                    + maxInFlight + "); no new export until they end or their 7 days pass");
        }
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        OffsetDateTime from = continuationPoints.current(nip, subjectType, exchange.getProperty(INITIAL_FROM, String.class));
        var certificate = session.certificate(PublicKeyCertificates.SYMMETRIC_KEY_ENCRYPTION);
        var keys = encryption.create(certificate.certificate(), certificate.publicKeyId());
        var request = ExportRequests.incremental(subjectType, from, now, keys.encryptionInfo(), compressionType);
        ExportRun run = new ExportRun(nip, subjectType, queue, request.filters().dateRange().from(), request.filters().dateRange().to(), keys);
        exchange.setProperty(EXPORT, run);
        return KsefJson.mapper().writeValueAsString(request);
    }
}
