package dev.ksef.sync.simulator;

import dev.ksef.sync.api.InvoiceMetadata;
import java.time.OffsetDateTime;
import java.util.Set;

/**
 * One invoice stored in the simulated KSeF: its metadata, the subject types under which the simulated company sees it,
 * and what it takes to render its XML again (the bytes are not kept, so large corpora stay small in memory).
 */
public record SimInvoice(InvoiceMetadata metadata, Set<String> subjectTypes, InvoiceTemplate template, String[] slotValues) {

    public String ksefNumber() {
        return metadata.ksefNumber();
    }

    public OffsetDateTime permanentStorageDate() {
        return metadata.permanentStorageDate();
    }

    /** The invoice document exactly as it is stored: its SHA-256 is the metadata's {@code invoiceHash}. */
    public byte[] xml() {
        return template.render(slotValues);
    }
}
