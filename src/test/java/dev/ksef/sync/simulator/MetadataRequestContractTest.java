package dev.ksef.sync.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ksef.sync.api.KsefJson;
import dev.ksef.sync.api.QueryInvoicesMetadataResponse;
import dev.ksef.sync.download.MetadataListing;
import java.time.OffsetDateTime;
import org.junit.jupiter.api.Test;

/** The bundle's metadata query requests (query string and body, first and narrowed) and KSeF's answers conform to openapi.json. */
class MetadataRequestContractTest {

    @Test
    void theBundlesMetadataRequestsConform() throws Exception {
        try (KsefSimulator simulator = new KsefSimulator(new SimulatorConfig().unlimited().maxMetadataResults(20)).start()) {
            OffsetDateTime now = simulator.clock().now();
            simulator.corpus().generate(80, now.minusDays(3), now.minusMinutes(5));
            SimulatorClient client = new SimulatorClient(simulator);
            client.login();
            MetadataListing listing = new MetadataListing(simulator.nip(), "Subject1", now.minusDays(4), now, 10);
            while (listing.hasNext()) {
                var answer = client.call("POST", "/invoices/query/metadata?" + listing.query(), KsefJson.mapper().readTree(listing.body()),
                        client.accessToken);
                assertEquals(200, answer.status(), answer.responseBody());
                ContractValidation.assertConform(answer);
                listing.page(answer.as(QueryInvoicesMetadataResponse.class));
            }
            assertTrue(listing.narrowings() >= 1, "a narrowed request was validated too");
            assertEquals(simulator.invoices(simulator.nip(), "Subject1").size(), listing.invoices().size());
        }
    }
}
