package dev.ksef.sync.export;

import dev.ksef.sync.api.ExportInvoicesResponse;
import dev.ksef.sync.api.InvoiceExportStatusResponse;
import dev.ksef.sync.api.KsefJson;
import dev.ksef.sync.store.ContinuationPoints;
import dev.ksef.sync.store.ExportLog;
import java.io.IOException;
import java.time.OffsetDateTime;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows an export from KSeF's acceptance to the moved continuation point: records it, reads each status, decides
 * what a terminal status means, and after the whole package is on the broker advances the continuation point
 * (truncated: {@code lastPermanentStorageDate}; otherwise {@code permanentStorageHwmDate}) and writes the one INFO
 * line per export. Sets {@code ksefCatchUp} when a truncated package means the next window should follow at once.
 */
public final class ExportTracker {

    public static final String CATCH_UP = "ksefCatchUp";
    private static final Logger LOG = LoggerFactory.getLogger("dev.ksef.sync.export");

    private final ExportLog exportLog;
    private final ContinuationPoints continuationPoints;

    public ExportTracker(ExportLog exportLog, ContinuationPoints continuationPoints) {
        this.exportLog = exportLog;
        this.continuationPoints = continuationPoints;
    }

    public void accepted(Exchange exchange, String json) throws IOException {
        ExportRun run = run(exchange);
        run.referenceNumber = KsefJson.mapper().readValue(json, ExportInvoicesResponse.class).referenceNumber();
        exchange.setProperty("ksefExportReference", run.referenceNumber);
        exportLog.started(run);
        LOG.debug("{}: export {} started for {}..{}", run.subjectType, run.referenceNumber, run.from, run.to == null ? "HWM" : run.to);
    }

    public void status(Exchange exchange, String json) throws IOException {
        ExportRun run = run(exchange);
        run.status = KsefJson.mapper().readValue(json, InvoiceExportStatusResponse.class);
        run.polls++;
    }

    /**
     * After the last poll: 200 goes on to the download; 420 (window beyond the HWM) ends this run quietly with the
     * continuation point where it was; every other status fails the run, so the next trigger starts again.
     */
    public boolean readyToDownload(Exchange exchange) {
        ExportRun run = run(exchange);
        int code = run.statusCode();
        if (code == InvoiceExportStatusResponse.SUCCEEDED) {
            return true;
        }
        if (code == 420) {
            exportLog.finished(run, "NO_DATA", "window starts after KSeF's HWM");
            exchange.setProperty(CATCH_UP, false);
            LOG.info("{}: export {} window {}..HWM: KSeF's HWM has not reached the window yet; continuation point stays", run.subjectType,
                    run.referenceNumber, run.from);
            return false;
        }
        String reason = "export " + run.referenceNumber + " ended with status " + code + " " + run.status.status().description();
        exportLog.finished(run, "FAILED", reason);
        throw new ExportFailedException(run.subjectType + ": " + reason);
    }

    public void published(Exchange exchange) {
        run(exchange).published++;
    }

    public void quarantined(Exchange exchange) {
        run(exchange).quarantined++;
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
            continuationPoints.advance(run.subjectType, next);
            run.newContinuationPoint = next;
        }
        exportLog.finished(run, "DONE", null);
        exchange.setProperty(CATCH_UP, invoicePackage.isTruncated());
        LOG.info("{}: export {} window {}..{} status {} parts {} invoices {} duplicates {} quarantined {} published {} -> continuation point {}{} in {} ms",
                run.subjectType, run.referenceNumber, run.from, run.to == null ? "HWM" : run.to, run.statusCode(),
                invoicePackage.parts().size(), run.invoices, run.duplicates, run.quarantined, run.published, next,
                invoicePackage.isTruncated() ? " (truncated, catching up)" : "", run.elapsedMillis());
    }

    /** The run failed before completing: record it (the continuation point has not moved). */
    public void failed(Exchange exchange) {
        ExportRun run = exchange.getProperty(ExportPlanner.EXPORT, ExportRun.class);
        Exception cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        exchange.setProperty("ksefFailure", describe(cause));
        if (run != null && run.referenceNumber != null) {
            exportLog.finished(run, "FAILED", describe(cause));
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
}
