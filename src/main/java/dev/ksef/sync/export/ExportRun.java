package dev.ksef.sync.export;

import dev.ksef.sync.api.InvoiceExportStatusResponse;
import dev.ksef.sync.api.InvoicePackagePart;
import dev.ksef.sync.crypto.EncryptionData;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.Comparator;
import java.util.List;

/**
 * One export of one subject type as it goes through the route: the window, the key material, the reference KSeF
 * gave it, its last status, and what the package delivered. Carried in the exchange property {@code ksefExport}.
 */
public final class ExportRun {

    public final String subjectType;
    public final String queue;
    public final OffsetDateTime from;
    public final OffsetDateTime to;
    public final EncryptionData encryption;
    public final long startedNanos = System.nanoTime();
    public String referenceNumber;
    public InvoiceExportStatusResponse status;
    public int polls;
    public Path spool;
    public int invoices;
    public int published;
    public int duplicates;
    public int quarantined;
    public OffsetDateTime newContinuationPoint;

    public ExportRun(String subjectType, String queue, OffsetDateTime from, OffsetDateTime to, EncryptionData encryption) {
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
        return status == null || status.status().code() == InvoiceExportStatusResponse.IN_PROGRESS;
    }

    public boolean truncated() {
        return status != null && status.invoicePackage() != null && status.invoicePackage().isTruncated();
    }

    /** The parts to download, in ordinal order (their concatenation is the archive). */
    public List<InvoicePackagePart> parts() {
        return status.invoicePackage().parts().stream().sorted(Comparator.comparingInt(InvoicePackagePart::ordinalNumber)).toList();
    }

    public long elapsedMillis() {
        return (System.nanoTime() - startedNanos) / 1_000_000;
    }

    @Override
    public String toString() {
        return "ExportRun[" + subjectType + " " + from + ".." + (to == null ? "HWM" : to) + " " + referenceNumber + "]";
    }
}
