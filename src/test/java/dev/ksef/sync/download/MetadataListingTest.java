package dev.ksef.sync.download;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ksef.sync.api.InvoiceMetadata;
import dev.ksef.sync.api.QueryInvoicesMetadataResponse;
import java.time.OffsetDateTime;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How the metadata query pages: offsets while KSeF has more, a narrowed range after a truncated page, each invoice once. */
class MetadataListingTest {

    private static final OffsetDateTime T0 = OffsetDateTime.parse("2026-11-20T10:00:00Z");

    @Test
    void aTruncatedPageNarrowsTheRangeEvenWhenItReportsNoMore() throws Exception {
        MetadataListing listing = new MetadataListing("5265877635", "Subject1", T0, null, 10);
        assertEquals("pageOffset=0&pageSize=10&sortOrder=Asc", listing.query());
        listing.page(new QueryInvoicesMetadataResponse(true, false, null, List.of(invoice("A", 1), invoice("B", 2))));
        assertEquals("pageOffset=1&pageSize=10&sortOrder=Asc", listing.query());
        // the cap cut this page short: KSeF's hasMore may be false, the range still goes on from the last date
        listing.page(new QueryInvoicesMetadataResponse(false, true, T0.plusHours(9), List.of(invoice("C", 3), invoice("D", 4))));
        assertTrue(listing.hasNext());
        assertEquals("pageOffset=0&pageSize=10&sortOrder=Asc", listing.query());
        assertTrue(listing.body().contains("\"from\":\"2026-11-20T10:04:00Z\""), listing.body());
        assertFalse(listing.body().contains("\"to\""), "no end: up to now");
        listing.page(new QueryInvoicesMetadataResponse(false, false, T0.plusHours(9), List.of(invoice("D", 4), invoice("E", 5))));
        assertFalse(listing.hasNext());
        assertEquals(List.of("A", "B", "C", "D", "E"), listing.invoices().stream().map(InvoiceMetadata::ksefNumber).toList());
        assertEquals(1, listing.narrowings());
        assertEquals(3, listing.pages());
        assertEquals(T0.plusHours(9), listing.permanentStorageHwmDate());
    }

    @Test
    void aTruncationThatCannotBeNarrowedIsAnError() {
        MetadataListing listing = new MetadataListing("5265877635", "Subject1", T0.plusMinutes(1), null, 10);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> listing.page(
                new QueryInvoicesMetadataResponse(true, true, null, List.of(invoice("A", 1), invoice("B", 1)))));
        assertTrue(e.getMessage().contains("cannot be narrowed"), e.getMessage());
    }

    private static InvoiceMetadata invoice(String number, int minute) {
        return new InvoiceMetadata(number, null, null, null, null, T0.plusMinutes(minute), null, null, 0, 0, 0, null, null, null, null,
                false, false, null, null, null, null);
    }
}
