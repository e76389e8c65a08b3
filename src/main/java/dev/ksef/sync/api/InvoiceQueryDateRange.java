package dev.ksef.sync.api;

import java.time.OffsetDateTime;

/** {@code InvoiceQueryDateRange}: {@code dateType} Issue, Invoicing or PermanentStorage; {@code to} omitted means now. */
public record InvoiceQueryDateRange(String dateType, OffsetDateTime from, OffsetDateTime to,
                                    Boolean restrictToPermanentStorageHwmDate) {
    public static final String PERMANENT_STORAGE = "PermanentStorage";
}
