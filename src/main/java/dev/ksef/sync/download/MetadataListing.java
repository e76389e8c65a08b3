package dev.ksef.sync.download;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.ksef.sync.api.InvoiceMetadata;
import dev.ksef.sync.api.InvoiceQueryDateRange;
import dev.ksef.sync.api.InvoiceQueryFilters;
import dev.ksef.sync.api.KsefJson;
import dev.ksef.sync.api.QueryInvoicesMetadataResponse;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One metadata query of a context's subject type as it pages through {@code POST /invoices/query/metadata}
 * (exchange property {@code ksefMetadataListing}): PermanentStorage dates from {@code from} to {@code to} (null: now),
 * ascending, {@code pageSize} invoices a page. KSeF's way through its result cap: while {@code hasMore}, the next page
 * ({@code pageOffset} + 1); when the page is {@code isTruncated} (the cap cut the results, even on a last page that
 * reports no {@code hasMore}), the range starts again at the last {@code permanentStorageDate} returned with
 * {@code pageOffset} 0. The invoices at that date come twice and are kept
 * once, in KSeF's order.
 */
public final class MetadataListing {

    public final String nip;
    public final String subjectType;
    public final OffsetDateTime requestedFrom;
    public final OffsetDateTime to;
    private final int pageSize;
    private OffsetDateTime from;
    private int pageOffset;
    private boolean more = true;
    private int pages;
    private int narrowings;
    private OffsetDateTime permanentStorageHwmDate;
    private final Map<String, InvoiceMetadata> invoices = new LinkedHashMap<>();

    public MetadataListing(String nip, String subjectType, OffsetDateTime from, OffsetDateTime to, int pageSize) {
        this.nip = nip;
        this.subjectType = subjectType;
        this.requestedFrom = from;
        this.from = from;
        this.to = to;
        this.pageSize = pageSize;
    }

    /** Whether another page is to be asked for. */
    public boolean hasNext() {
        return more;
    }

    /** The query string of the next page. */
    public String query() {
        return "pageOffset=" + pageOffset + "&pageSize=" + pageSize + "&sortOrder=Asc";
    }

    /** The request body of the next page: the subject type and the (possibly narrowed) PermanentStorage range. */
    public String body() throws JsonProcessingException {
        return KsefJson.mapper().writeValueAsString(new InvoiceQueryFilters(subjectType,
                new InvoiceQueryDateRange(InvoiceQueryDateRange.PERMANENT_STORAGE, from, to, null)));
    }

    /** One page as KSeF answered it: its invoices kept, and where the next page starts (if one follows). */
    public void page(QueryInvoicesMetadataResponse page) {
        pages++;
        List<InvoiceMetadata> listed = page.invoices() == null ? List.of() : page.invoices();
        for (InvoiceMetadata invoice : listed) {
            invoices.putIfAbsent(invoice.ksefNumber(), invoice);
        }
        if (page.permanentStorageHwmDate() != null) {
            permanentStorageHwmDate = page.permanentStorageHwmDate();
        }
        // a truncated page means KSeF's cap cut the results: more follow, whatever hasMore says on a page the cap cut short
        if (!page.hasMore() && !page.isTruncated()) {
            more = false;
        } else if (page.isTruncated()) {
            OffsetDateTime last = listed.isEmpty() ? null : listed.get(listed.size() - 1).permanentStorageDate();
            if (last == null || !last.isAfter(from)) {
                // every invoice up to KSeF's cap has the same date: narrowing would ask for the same page again
                throw new IllegalStateException("the metadata query of " + nip + " " + subjectType + " from " + from
                        + " is truncated at invoices of one permanent storage date: the range cannot be narrowed further");
            }
            from = last;
            pageOffset = 0;
            narrowings++;
        } else {
            pageOffset++;
        }
    }

    /** Every invoice listed, once, ascending by permanent storage date. */
    public List<InvoiceMetadata> invoices() {
        return new ArrayList<>(invoices.values());
    }

    public int pages() {
        return pages;
    }

    /** How often the range was narrowed after a truncated page. */
    public int narrowings() {
        return narrowings;
    }

    /** KSeF's HWM as the last page reported it (PermanentStorage queries), else null. */
    public OffsetDateTime permanentStorageHwmDate() {
        return permanentStorageHwmDate;
    }

    @Override
    public String toString() {
        return "metadata query of " + nip + " " + subjectType + " " + requestedFrom + ".." + (to == null ? "now" : to);
    }
}
