package dev.ksef.sync.export;

import dev.ksef.sync.api.InvoiceExportStatusResponse;
import dev.ksef.sync.api.InvoicePackagePart;
import dev.ksef.sync.crypto.EncryptionData;
import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Comparator;
import java.util.List;

/**
 * One export of one subject type of one context as it goes through the route: the window, the key material, the reference KSeF
 * gave it, its last status, and what the package delivered. Carried in the exchange property {@code ksefExport}.
 */
public final class ExportRun {

    /** The context NIP the export runs in. */
    public final String nip;
    public final String subjectType;
    public final String queue;
    public final OffsetDateTime from;
    public final OffsetDateTime to;
    public final EncryptionData encryption;
    public final long startedNanos = System.nanoTime();
    /** How its invoices reached the bundle ({@code ksefSource}): {@code export}, {@code reconciliation} or {@code request}. */
    public String source = "export";
    /** Appended to the duplicate id of its messages: a request's own id, so that every request is delivered. */
    public String messageIdSuffix = "";
    /** When KSeF accepted the export (stored; a resumed export keeps its original time for the deadline). */
    public OffsetDateTime acceptedAt;
    public boolean resumed;
    public String referenceNumber;
    public InvoiceExportStatusResponse status;
    /** When {@link #status} was read: part links expire about an hour after each status call. */
    public Instant statusAt;
    /** Set after a failed part download: the next attempt re-reads the status for fresh links first. */
    public boolean linksStale;
    /** Still at 100 past {@code ksef.export.deadline}: given up, a new export takes its place. */
    public boolean abandoned;
    public int polls;
    /** The part being downloaded, its failed attempts, and whether it is on the spool. */
    public int partNumber;
    /** When the first part download started and when the last part was on the spool (System.nanoTime). */
    public long downloadStartedNanos;
    public long downloadEndedNanos;
    public int partAttempts;
    public boolean partDone;
    public Path spool;
    public int invoices;
    public int published;
    public int duplicates;
    public int quarantined;
    /** The delivered-invoice key transactions of this export, chained in order (see DeliveredInvoices). */
    public java.util.concurrent.CompletableFuture<Void> keysStored = java.util.concurrent.CompletableFuture.completedFuture(null);
    public OffsetDateTime newContinuationPoint;

    public ExportRun(String nip, String subjectType, String queue, OffsetDateTime from, OffsetDateTime to, EncryptionData encryption) {
        this.nip = nip;
        this.subjectType = subjectType;
        this.queue = queue;
        this.from = from;
        this.to = to;
        this.encryption = encryption;
    }

    public int statusCode() {
        return status == null ? 0 : status.status().code();
    }

    public boolean inProgress() {
        return !abandoned && (status == null || status.status().code() == InvoiceExportStatusResponse.IN_PROGRESS);
    }

    /** The parts to download, in ordinal order (their concatenation is the archive). */
    public List<InvoicePackagePart> parts() {
        return status.invoicePackage().parts().stream().sorted(Comparator.comparingInt(InvoicePackagePart::ordinalNumber)).toList();
    }

    /** The part being downloaded, with the link of the latest status. */
    public InvoicePackagePart part() {
        return status.invoicePackage().parts().stream().filter(p -> p.ordinalNumber() == partNumber).findFirst()
                .orElseThrow(() -> new ExportFailedException("export " + referenceNumber + " no longer lists part " + partNumber));
    }

    /**
     * Batches go out in JMS transactions, except for a resumed export: its invoices may already be on the broker
     * without their keys, and Artemis drops a duplicate silently only outside a transaction. Invoices healed by the
     * reconciliation or sent again on request go out one by one, outside a transaction, for the same reason.
     */
    public boolean publishTransacted() {
        return !resumed && "export".equals(source);
    }

    public boolean partPending() {
        return !partDone;
    }

    public long elapsedMillis() {
        return (System.nanoTime() - startedNanos) / 1_000_000;
    }

    @Override
    public String toString() {
        return "ExportRun[" + nip + " " + subjectType + " " + from + ".." + (to == null ? "HWM" : to) + " " + referenceNumber + "]";
    }
}
