package dev.ksef.sync.simulator;

import dev.ksef.sync.api.InvoiceMetadata;
import dev.ksef.sync.api.QueryInvoicesMetadataResponse;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * The paging of {@code POST /invoices/query/metadata}: the query parameters {@code pageOffset} (from 0),
 * {@code pageSize} (10 to 250, default 10) and {@code sortOrder} (Asc, the default, or Desc, on the date the filter's
 * {@code dateType} names), and one page of the results within the query's cap (KSeF: 10 000 results): {@code hasMore}
 * when results follow the page, {@code isTruncated} when the page reaches the cap with more results beyond it.
 */
final class MetadataQuery {

    static final int MIN_PAGE_SIZE = 10;
    static final int MAX_PAGE_SIZE = 250;

    final int pageOffset;
    final int pageSize;
    final boolean descending;

    private MetadataQuery(int pageOffset, int pageSize, boolean descending) {
        this.pageOffset = pageOffset;
        this.pageSize = pageSize;
        this.descending = descending;
    }

    /** The paging a request's query parameters ask for; an {@link IllegalArgumentException} names a bad one (KSeF: 400 21405). */
    static MetadataQuery of(Map<String, String> query) {
        int offset = number(query, "pageOffset", 0);
        int size = number(query, "pageSize", MIN_PAGE_SIZE);
        if (offset < 0) {
            throw new IllegalArgumentException("pageOffset must be 0 or more");
        }
        if (size < MIN_PAGE_SIZE || size > MAX_PAGE_SIZE) {
            throw new IllegalArgumentException("pageSize must be between " + MIN_PAGE_SIZE + " and " + MAX_PAGE_SIZE);
        }
        String order = query.getOrDefault("sortOrder", "Asc");
        if (!order.equals("Asc") && !order.equals("Desc")) {
            throw new IllegalArgumentException("sortOrder must be Asc or Desc");
        }
        return new MetadataQuery(offset, size, order.equals("Desc"));
    }

    /**
     * The page of {@code ascending} (every match, ascending on the query's date) this query asks for, at most {@code cap}
     * results into the sorted order.
     */
    QueryInvoicesMetadataResponse page(List<SimInvoice> ascending, int cap, OffsetDateTime permanentStorageHwmDate) {
        List<SimInvoice> sorted = ascending;
        if (descending) {
            sorted = new ArrayList<>(ascending);
            Collections.reverse(sorted);
        }
        long total = sorted.size();
        long start = (long) pageOffset * pageSize;
        long end = start + pageSize;
        long within = Math.min(total, cap);
        List<InvoiceMetadata> invoices = start >= within ? List.of()
                : sorted.subList((int) start, (int) Math.min(end, within)).stream().map(SimInvoice::metadata).toList();
        boolean hasMore = end < total;
        boolean truncated = total > cap && end >= cap;
        return new QueryInvoicesMetadataResponse(hasMore, truncated, permanentStorageHwmDate, invoices);
    }

    private static int number(Map<String, String> query, String name, int absent) {
        String value = query.get(name);
        if (value == null) {
            return absent;
        }
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a whole number");
        }
    }
}
