package dev.ksef.sync.export;

import dev.ksef.sync.api.ExportInvoicesResponse;
import dev.ksef.sync.api.InvoiceExportStatusResponse;
import dev.ksef.sync.api.KsefJson;
import dev.ksef.sync.auth.KsefSessions;
import dev.ksef.sync.limits.KsefCallGuard;
import dev.ksef.sync.store.ContinuationPoints;
import dev.ksef.sync.store.ExportLog;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import org.apache.camel.Exchange;
import org.apache.camel.http.base.HttpOperationFailedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows an export from KSeF's acceptance to the moved continuation point: stores it (key sealed) so a restart can
 * resume it, reads each status, decides what a terminal status means, and after the whole package is on the broker
 * advances the continuation point (truncated: {@code lastPermanentStorageDate}; otherwise {@code permanentStorageHwmDate})
 * and writes the one INFO line per export. Sets {@code ksefCatchUp} when the next export should follow at once: the
 * package was truncated, or the export has to be replaced (210 expired, 415 key refused, stuck past the deadline).
 */
public final class ExportTracker {

    public static final String CATCH_UP = "ksefCatchUp";
    public static final String FAILURE = "ksefFailure";
    static final String REPLACEMENTS = "ksefExportReplacements";
    private static final Logger LOG = LoggerFactory.getLogger("dev.ksef.sync.export");

    private final ExportLog exportLog;
    private final ContinuationPoints continuationPoints;
    private final KsefSessions sessions;
    private final ExportPolicy policy;
    private final Clock clock;
    private final ExportEvents events;

    public ExportTracker(ExportLog exportLog, ContinuationPoints continuationPoints, KsefSessions sessions,
                         ExportPolicy policy, Clock clock) {
        this(exportLog, continuationPoints, sessions, policy, clock, ExportEvents.NONE);
    }

    /** With {@code events} told of delivered parts and of each export's and run's end (meters, health checks). */
    public ExportTracker(ExportLog exportLog, ContinuationPoints continuationPoints, KsefSessions sessions,
                         ExportPolicy policy, Clock clock, ExportEvents events) {
        this.exportLog = exportLog;
        this.continuationPoints = continuationPoints;
        this.sessions = sessions;
        this.policy = policy;
        this.clock = clock;
        this.events = events;
    }

    public void accepted(Exchange exchange, String json) throws IOException {
        ExportRun run = run(exchange);
        run.referenceNumber = KsefJson.mapper().readValue(json, ExportInvoicesResponse.class).referenceNumber();
        run.acceptedAt = OffsetDateTime.now(clock);
        exchange.setProperty(ExportPlanner.REFERENCE, run.referenceNumber);
        exportLog.started(run, sessions.of(run.nip).keySeal().seal(run.encryption, run.referenceNumber));
        LOG.debug("{} {}: export {} started for {}..{}", run.nip, run.subjectType, run.referenceNumber, run.from, run.to == null ? "HWM" : run.to);
    }

    /** A status answer. Still 100 past the deadline: the export is abandoned. Not 200 while its parts are downloaded: it failed. */
    public void status(Exchange exchange, String json) throws IOException {
        ExportRun run = run(exchange);
        boolean downloading = run.status != null && run.statusCode() == InvoiceExportStatusResponse.SUCCEEDED;
        run.status = KsefJson.mapper().readValue(json, InvoiceExportStatusResponse.class);
        run.statusAt = clock.instant();
        run.linksStale = false;
        run.polls++;
        if (downloading && run.statusCode() != InvoiceExportStatusResponse.SUCCEEDED) {
            String reason = "export " + run.referenceNumber + " went from 200 to " + run.statusCode() + " while its parts were downloaded";
            exportLog.finished(run, run.statusCode() == 210 ? "EXPIRED" : "FAILED", reason);
            throw new ExportFailedException(run.subjectType + ": " + reason);
        }
        if (run.inProgress() && run.acceptedAt != null && OffsetDateTime.now(clock).isAfter(run.acceptedAt.plus(policy.deadline()))) {
            run.abandoned = true;
        }
    }

    /**
     * After the last poll: 200 goes on to the download; 420 (window beyond the HWM) ends this run quietly with the
     * continuation point where it was; 210, 415 and an abandoned export are replaced by a new export of the same
     * window (a few times per run); 500, 550 and anything else fail the run, so the next trigger tries again.
     */
    public boolean readyToDownload(Exchange exchange) {
        ExportRun run = run(exchange);
        int code = run.statusCode();
        if (code == InvoiceExportStatusResponse.SUCCEEDED && !run.abandoned) {
            return true;
        }
        if (code == 420) {
            exportLog.finished(run, "NO_DATA", "window starts after KSeF's HWM");
            exchange.setProperty(CATCH_UP, false);
            events.noData(run);
            LOG.info("{} {}: export {} window {}..HWM: KSeF's HWM has not reached the window yet; continuation point stays", run.nip, run.subjectType,
                    run.referenceNumber, run.from);
            return false;
        }
        String outcome = run.abandoned ? "ABANDONED" : code == 210 ? "EXPIRED" : "FAILED";
        String reason = run.abandoned ? "export " + run.referenceNumber + " still in progress " + policy.deadline() + " after it was accepted"
                : "export " + run.referenceNumber + " ended with status " + code + " " + run.status.status().description();
        exportLog.finished(run, outcome, reason);
        if (run.abandoned || code == 210 || code == 415) {
            if (code == 415) {
                sessions.of(run.nip).forgetCertificates();
            }
            int replacements = exchange.getProperty(REPLACEMENTS, 0, Integer.class) + 1;
            if (replacements <= policy.maxReplacements()) {
                exchange.setProperty(REPLACEMENTS, replacements);
                exchange.setProperty(CATCH_UP, true);
                LOG.warn("{} {}: {}; a new export replaces it ({} of at most {} in this run)", run.nip, run.subjectType, reason, replacements, policy.maxReplacements());
                return false;
            }
        }
        throw new ExportFailedException(run.subjectType + ": " + reason);
    }

    /** The split moved on to the next part. */
    public void nextPart(Exchange exchange, int partNumber) {
        ExportRun run = run(exchange);
        if (run.downloadStartedNanos == 0) {
            run.downloadStartedNanos = System.nanoTime();
        }
        run.partNumber = partNumber;
        run.partAttempts = 0;
        run.partDone = false;
    }

    public void partDelivered(Exchange exchange) {
        ExportRun run = run(exchange);
        run.partDone = true;
        run.downloadEndedNanos = System.nanoTime();
        events.partDelivered(run);
    }

    /** Before a part download: re-read the status when its links are old or a download with them failed. */
    public boolean linksStale(Exchange exchange) {
        ExportRun run = run(exchange);
        return run.linksStale || run.statusAt == null || clock.instant().isAfter(run.statusAt.plus(policy.linkMaxAge()));
    }

    /** A part download failed (error status, HTML or empty page, wrong size or hash): try again with fresh links, a few times. */
    public void partFailed(Exchange exchange) {
        ExportRun run = run(exchange);
        Exception cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        run.partAttempts++;
        run.linksStale = true;
        if (run.partAttempts >= policy.partAttempts()) {
            throw new ExportFailedException(run.subjectType + ": part " + run.partNumber + " of export " + run.referenceNumber + " failed "
                    + run.partAttempts + " times, last: " + describe(cause));
        }
        LOG.warn("{} {}: part {} of export {} failed (attempt {} of {}), retrying with fresh links: {}", run.nip, run.subjectType, run.partNumber,
                run.referenceNumber, run.partAttempts, policy.partAttempts(), describe(cause));
    }

    /** Every invoice of the package is on the broker: move the continuation point and report. */
    public void completed(Exchange exchange) {
        ExportRun run = run(exchange);
        var invoicePackage = run.status.invoicePackage();
        OffsetDateTime next = invoicePackage.isTruncated() && invoicePackage.lastPermanentStorageDate() != null
                ? invoicePackage.lastPermanentStorageDate() : invoicePackage.permanentStorageHwmDate();
        run.invoices = (int) invoicePackage.invoiceCount();
        run.duplicates = Math.max(0, run.invoices - run.published - run.quarantined);
        if (next != null) {
            continuationPoints.advance(run.nip, run.subjectType, next);
            run.newContinuationPoint = next;
        }
        exportLog.finished(run, "DONE", null);
        exchange.setProperty(CATCH_UP, invoicePackage.isTruncated());
        events.completed(run);
        run.encryption.destroy();
        long now = System.nanoTime();
        LOG.info("{} {}: export {}{} window {}..{} status {} parts {} invoices {} duplicates {} quarantined {} published {} -> continuation point {}{} "
                        + "in {} ms (download {} ms, publish {} ms)",
                run.nip, run.subjectType, run.referenceNumber, run.resumed ? " (resumed)" : "", run.from, run.to == null ? "HWM" : run.to, run.statusCode(),
                invoicePackage.parts().size(), run.invoices, run.duplicates, run.quarantined, run.published, next,
                invoicePackage.isTruncated() ? " (truncated, catching up)" : "", run.elapsedMillis(),
                (run.downloadEndedNanos - run.downloadStartedNanos) / 1_000_000, run.downloadEndedNanos == 0 ? 0 : (now - run.downloadEndedNanos) / 1_000_000);
    }

    /**
     * The run failed before completing; the continuation point has not moved. An export KSeF no longer has (HTTP 410,
     * or 400 on its status) is closed; after any other failure it stays RUNNING, and the next run resumes it.
     */
    public void failed(Exchange exchange) {
        ExportRun run = exchange.getProperty(ExportPlanner.EXPORT, ExportRun.class);
        Exception cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        String description = describe(cause);
        exchange.setProperty(FAILURE, description);
        events.failed(exchange.getProperty(KsefSessions.CONTEXT_NIP, String.class), exchange.getProperty(ExportPlanner.SUBJECT_TYPE, String.class),
                run, cause);
        if (run == null || run.referenceNumber == null || cause instanceof ExportFailedException) {
            return;
        }
        if (cause instanceof HttpOperationFailedException http && (http.getStatusCode() == 410 || http.getStatusCode() == 400)
                && "invoiceExportStatus".equals(exchange.getProperty(KsefCallGuard.LIMIT_GROUP))) {
            exportLog.finished(run, http.getStatusCode() == 410 ? "EXPIRED" : "FAILED", description);
        } else {
            exportLog.interrupted(run, description);
        }
    }

    /** The failure as it may be logged and stored: query strings (pre-signed part links carry a signature) cut off. */
    public static String describe(Throwable cause) {
        if (cause == null) {
            return "unknown error";
        }
        String message = String.valueOf(cause.getMessage()).replaceAll("\\?[^\\s]*", "?…");
        return cause.getClass().getSimpleName() + ": " + message;
    }

    private static ExportRun run(Exchange exchange) {
        return exchange.getProperty(ExportPlanner.EXPORT, ExportRun.class);
    }

    /** Tunables of the export lifecycle ({@code ksef.export.*}, {@code ksef.package.*}). */
    public record ExportPolicy(Duration deadline, int maxReplacements, Duration linkMaxAge, int partAttempts) {
    }
}
