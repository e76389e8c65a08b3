package dev.ksef.sync.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ksef.sync.api.InvoiceMetadata;
import dev.ksef.sync.app.SyncApp;
import dev.ksef.sync.download.MetadataListing;
import dev.ksef.sync.simulator.Endpoint;
import dev.ksef.sync.simulator.KsefSimulator;
import dev.ksef.sync.simulator.SimInvoice;
import dev.ksef.sync.simulator.SimulatorConfig;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import org.apache.camel.Exchange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code direct:ksef-metadata} pages through KSeF's metadata query and past its result cap: a truncated page narrows
 * the range from the last permanent storage date listed, and every invoice of the range comes once, in order.
 */
class MetadataQueryTest {

    @TempDir
    Path dataDir;

    @Test
    void pagesAndTruncationListEveryInvoiceOnceInOrder() throws Exception {
        try (KsefSimulator simulator = new KsefSimulator(new SimulatorConfig().unlimited().maxMetadataResults(25)).start()) {
            OffsetDateTime now = simulator.clock().now();
            simulator.corpus().generate(120, now.minusDays(5), now.minusMinutes(5));
            OffsetDateTime from = now.minusDays(4);
            OffsetDateTime to = now.minusDays(1);
            List<String> expected = simulator.invoices(simulator.nip(), "Subject2").stream()
                    .filter(i -> !i.permanentStorageDate().isBefore(from) && !i.permanentStorageDate().isAfter(to))
                    .map(SimInvoice::ksefNumber).toList();
            assertTrue(expected.size() > 25, "more than the cap: " + expected.size());
            SyncHarness harness = new SyncHarness(simulator, dataDir, Map.of("ksef.metadata.page-size", "10"));
            try (SyncApp app = harness.start(now.minusDays(6))) {
                Exchange result = app.context().createProducerTemplate().send("direct:ksef-metadata", e -> {
                    e.setProperty("ksefSubjectType", "Subject2");
                    e.setProperty("ksefMetadataFrom", from);
                    e.setProperty("ksefMetadataTo", to);
                });
                assertEquals(null, result.getException());
                @SuppressWarnings("unchecked")
                List<InvoiceMetadata> listed = result.getMessage().getBody(List.class);
                assertEquals(expected, listed.stream().map(InvoiceMetadata::ksefNumber).toList());
                MetadataListing listing = result.getProperty("ksefMetadataListing", MetadataListing.class);
                assertTrue(listing.narrowings() >= 1, "the range narrowed after a truncated page");
                assertEquals(listing.pages(), simulator.calls(Endpoint.INVOICE_METADATA).size());
                assertTrue(listing.permanentStorageHwmDate() != null);
            }
        }
    }
}
