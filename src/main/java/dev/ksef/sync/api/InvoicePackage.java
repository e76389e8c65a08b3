package dev.ksef.sync.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.List;

/**
 * {@code InvoicePackage}: parts of the archive and the continuation data. When truncated, the next window starts at
 * {@code lastPermanentStorageDate}; otherwise at {@code permanentStorageHwmDate}. {@code compressionType} exists from
 * API 2.7 on and may be absent.
 */
public record InvoicePackage(long invoiceCount, long size, List<InvoicePackagePart> parts,
                             @JsonProperty("isTruncated") boolean isTruncated, LocalDate lastIssueDate,
                             OffsetDateTime lastInvoicingDate, OffsetDateTime lastPermanentStorageDate,
                             OffsetDateTime permanentStorageHwmDate, String compressionType) {
}
