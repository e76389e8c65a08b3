package dev.ksef.sync.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.OffsetDateTime;
import java.util.List;

/**
 * {@code QueryInvoicesMetadataResponse}, one page of {@code POST /invoices/query/metadata}: {@code hasMore} when
 * further results exist; {@code isTruncated} when the query's 10 000-result cap was reached (narrow {@code dateRange}
 * from the last date returned and start again at page 0); {@code permanentStorageHwmDate} only for PermanentStorage
 * queries, the same on every page.
 */
public record QueryInvoicesMetadataResponse(boolean hasMore, @JsonProperty("isTruncated") boolean isTruncated,
                                            OffsetDateTime permanentStorageHwmDate, List<InvoiceMetadata> invoices) {
}
