package dev.ksef.sync.export;

import dev.ksef.sync.api.EncryptionInfo;
import dev.ksef.sync.api.InvoiceExportRequest;
import dev.ksef.sync.api.InvoiceQueryDateRange;
import dev.ksef.sync.api.InvoiceQueryFilters;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/**
 * Builds the incremental-sync export request for one subject type: dateType PermanentStorage, {@code from} = the
 * continuation point, restricted to the HWM. {@code to} stays out (KSeF takes "now", capped at the HWM) unless the
 * continuation point lies more than 3 months back: then the window is cut to 3 months (backfill), less a safety
 * margin so it fits KSeF's 3-month rule in UTC and in Warsaw time alike.
 */
public final class ExportRequests {

    static final Duration BACKFILL_MARGIN = Duration.ofHours(1);

    private ExportRequests() {
    }

    /** A {@code Zip} package. */
    public static InvoiceExportRequest incremental(String subjectType, OffsetDateTime continuationPoint, OffsetDateTime now,
                                                   EncryptionInfo encryption) {
        return incremental(subjectType, continuationPoint, now, encryption, "Zip");
    }

    /** {@code compressionType} {@code Zip} or {@code TarGz} (ksef.export.compression). */
    public static InvoiceExportRequest incremental(String subjectType, OffsetDateTime continuationPoint, OffsetDateTime now,
                                                   EncryptionInfo encryption, String compressionType) {
        OffsetDateTime from = continuationPoint.withOffsetSameInstant(ZoneOffset.UTC);
        OffsetDateTime to = windowEnd(from, now);
        return new InvoiceExportRequest(encryption, false,
                new InvoiceQueryFilters(subjectType,
                        new InvoiceQueryDateRange(InvoiceQueryDateRange.PERMANENT_STORAGE, from, to, true)),
                compressionType);
    }

    /** {@code null} (omit {@code to}) when the window from {@code from} to now fits 3 months, else the end of a backfill window. */
    public static OffsetDateTime windowEnd(OffsetDateTime from, OffsetDateTime now) {
        OffsetDateTime limit = from.plusMonths(3).minus(BACKFILL_MARGIN);
        return now.isAfter(limit) ? limit.withOffsetSameInstant(ZoneOffset.UTC) : null;
    }
}
