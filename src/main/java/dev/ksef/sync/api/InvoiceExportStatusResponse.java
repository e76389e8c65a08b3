package dev.ksef.sync.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.OffsetDateTime;

/**
 * Response of {@code GET /invoices/exports/{referenceNumber}}. Status 100 in progress; 200 done with a package;
 * 210 expired, 415 key not decryptable, 420 range beyond HWM, 500 and 550 failed: every code but 100 is terminal.
 */
public record InvoiceExportStatusResponse(StatusInfo status, OffsetDateTime completedDate, OffsetDateTime packageExpirationDate,
                                          @JsonProperty("package") InvoicePackage invoicePackage) {
    public static final int IN_PROGRESS = 100;
    public static final int SUCCEEDED = 200;
}
