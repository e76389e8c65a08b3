package dev.ksef.sync.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ksef.sync.api.InvoiceMetadata;
import dev.ksef.sync.api.InvoicePackageMetadata;
import dev.ksef.sync.api.InvoiceQueryDateRange;
import dev.ksef.sync.api.InvoiceQueryFilters;
import dev.ksef.sync.api.KsefJson;
import dev.ksef.sync.api.QueryInvoicesMetadataResponse;
import dev.ksef.sync.crypto.EncryptionData;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * {@code POST /invoices/query/metadata} as the contract describes it: paging with {@code hasMore}, both sort orders,
 * one {@code permanentStorageHwmDate} for PermanentStorage only, the result cap with {@code isTruncated} and KSeF's
 * narrowing from the last date, 21183 and 21405, the {@code invoiceMetadata} limit; and the fault that leaves an
 * invoice out of exports while the query and {@code GET /invoices/ksef/{n}} still have it. Every exchange is validated
 * against openapi.json.
 */
class SimulatorMetadataQueryTest {

    private static final String PATH = "/invoices/query/metadata";

    private static InvoiceQueryFilters filters(String subjectType, String dateType, OffsetDateTime from, OffsetDateTime to, Boolean restrict) {
        return new InvoiceQueryFilters(subjectType, new InvoiceQueryDateRange(dateType, from, to, restrict));
    }

    private static QueryInvoicesMetadataResponse page(SimulatorClient client, InvoiceQueryFilters filters, int offset, int size, String order)
            throws Exception {
        var answer = client.call("POST", PATH + "?pageOffset=" + offset + "&pageSize=" + size + "&sortOrder=" + order, filters, client.accessToken);
        assertEquals(200, answer.status(), answer.responseBody());
        return answer.as(QueryInvoicesMetadataResponse.class);
    }

    private static KsefSimulator started(SimulatorConfig config, int invoices) {
        KsefSimulator simulator = new KsefSimulator(config).start();
        OffsetDateTime now = simulator.clock().now();
        simulator.corpus().generate(invoices, now.minusDays(2), now.minusMinutes(10));
        return simulator;
    }

    @Test
    void pagesInBothOrdersWithHasMoreAndOneHwmForPermanentStorageOnly() throws Exception {
        try (KsefSimulator simulator = started(new SimulatorConfig().unlimited(), 120)) {
            SimulatorClient client = new SimulatorClient(simulator);
            client.login();
            OffsetDateTime now = simulator.clock().now();
            OffsetDateTime from = now.minusDays(3);
            OffsetDateTime to = now.minusMinutes(5);
            List<String> truth = simulator.invoices(simulator.nip(), "Subject2").stream().map(SimInvoice::ksefNumber).toList();
            assertTrue(truth.size() > 20, "several pages");

            InvoiceQueryFilters query = filters("Subject2", "PermanentStorage", from, to, null);
            List<String> listed = new ArrayList<>();
            Set<OffsetDateTime> hwms = new LinkedHashSet<>();
            QueryInvoicesMetadataResponse answer;
            int offset = 0;
            do {
                answer = page(client, query, offset++, 10, "Asc");
                assertFalse(answer.isTruncated());
                answer.invoices().forEach(m -> listed.add(m.ksefNumber()));
                hwms.add(answer.permanentStorageHwmDate());
            } while (answer.hasMore());
            assertEquals(truth, listed, "every invoice once, ascending by permanent-storage date");
            assertEquals(Set.of(to), hwms, "min(to, HWM) on every page");

            List<String> newestFirst = page(client, query, 0, 10, "Desc").invoices().stream().map(InvoiceMetadata::ksefNumber).toList();
            List<String> reversed = new ArrayList<>(truth);
            java.util.Collections.reverse(reversed);
            assertEquals(reversed.subList(0, 10), newestFirst);

            var byIssueDate = page(client, filters("Subject2", "Issue", from, to, null), 0, 250, "Asc");
            assertNull(byIssueDate.permanentStorageHwmDate(), "no HWM for Issue");
            List<InvoiceMetadata> issued = byIssueDate.invoices();
            for (int i = 1; i < issued.size(); i++) {
                assertFalse(issued.get(i).issueDate().isBefore(issued.get(i - 1).issueDate()), "ascending by issue date");
            }
            ContractValidation.assertConform(client.exchanges);
        }
    }

    @Test
    void truncatedResultsAreReadOnByNarrowingFromTheLastDate() throws Exception {
        try (KsefSimulator simulator = started(new SimulatorConfig().unlimited().maxMetadataResults(25), 150)) {
            SimulatorClient client = new SimulatorClient(simulator);
            client.login();
            Set<String> truth = new LinkedHashSet<>(simulator.invoices(simulator.nip(), "Subject2").stream().map(SimInvoice::ksefNumber).toList());
            assertTrue(truth.size() > 25, "more than the cap");
            // the contract's incremental scenario: PermanentStorage, Asc; on isTruncated narrow from the last date, offset 0
            OffsetDateTime from = simulator.clock().now().minusDays(3);
            Set<String> listed = new LinkedHashSet<>();
            int offset = 0;
            int truncations = 0;
            while (true) {
                var answer = page(client, filters("Subject2", "PermanentStorage", from, null, true), offset, 10, "Asc");
                answer.invoices().forEach(m -> listed.add(m.ksefNumber()));
                if (!answer.hasMore()) {
                    break;
                }
                if (answer.isTruncated()) {
                    truncations++;
                    from = answer.invoices().get(answer.invoices().size() - 1).permanentStorageDate();
                    offset = 0;
                } else {
                    offset++;
                }
            }
            assertTrue(truncations >= 1);
            assertEquals(truth, listed);
            ContractValidation.assertConform(client.exchanges);
        }
    }

    @Test
    void refusalsAndTheLimitComeAsTheContractSays() throws Exception {
        // KSeF's limits (invoiceMetadata 8/16/20), time running 100 times slower for the limiter so a second lasts
        try (KsefSimulator simulator = started(new SimulatorConfig().generatedContexts(2).rateLimitTimeScale(0.01), 10)) {
            OffsetDateTime now = simulator.clock().now();
            InvoiceQueryFilters fine = filters("Subject1", "PermanentStorage", now.minusDays(1), null, null);
            for (boolean problem : new boolean[] {false, true}) {
                SimulatorClient client = new SimulatorClient(simulator);
                client.problemDetails = problem;
                client.login();
                assertEquals(21183, code(client.call("POST", PATH, filters("Subject1", "PermanentStorage", now, null, true), client.accessToken)),
                        "from after the HWM with restrictToPermanentStorageHwmDate");
                assertEquals(21405, code(client.call("POST", PATH + "?pageSize=251", fine, client.accessToken)));
                assertEquals(21405, code(client.call("POST", PATH + "?sortOrder=Newest", fine, client.accessToken)));
                assertEquals(401, client.call("POST", PATH, fine, "expired").status());
                client.exchanges.forEach(ContractValidation::assertResponseConforms);
            }
            String other = simulator.nips().get(1); // a budget of its own: counted per context
            SimulatorClient client = new SimulatorClient(simulator);
            client.login(other, simulator.ksefToken(other));
            for (int i = 0; i < 8; i++) {
                assertEquals(200, client.call("POST", PATH, fine, client.accessToken).status());
            }
            var limited = client.call("POST", PATH, fine, client.accessToken);
            assertEquals(429, limited.status(), "the 9th query in a second");
            assertTrue(limited.responseHeaders().containsKey("retry-after"));
            ContractValidation.assertConform(limited);
        }
    }

    /** The KSeF exception code of a 400 in either error format. */
    private static int code(SimulatorClient.Exchange exchange) throws Exception {
        assertEquals(400, exchange.status(), exchange.responseBody());
        var json = exchange.json();
        return json.has("errors") ? json.at("/errors/0/code").asInt() : json.at("/exception/exceptionDetailList/0/exceptionCode").asInt();
    }

    @Test
    void anInvoiceLeftOutOfExportsIsStillListedAndServed() throws Exception {
        try (KsefSimulator simulator = started(new SimulatorConfig().unlimited(), 60)) {
            OffsetDateTime now = simulator.clock().now();
            List<SimInvoice> sold = simulator.invoices(simulator.nip(), "Subject1");
            String leftOut = sold.get(sold.size() / 2).ksefNumber();
            simulator.omitFromExports(leftOut);
            SimulatorClient client = new SimulatorClient(simulator);
            client.login();
            EncryptionData encryption = client.encryption();

            Set<String> exported = exported(client, encryption, now);
            assertFalse(exported.contains(leftOut));
            assertEquals(sold.size() - 1, exported.size());
            var listed = page(client, filters("Subject1", "PermanentStorage", now.minusDays(3), null, null), 0, 250, "Asc");
            assertTrue(listed.invoices().stream().anyMatch(m -> m.ksefNumber().equals(leftOut)), "the metadata query lists it");
            var single = client.call("GET", "/invoices/ksef/" + leftOut, null, client.accessToken);
            assertEquals(200, single.status(), "and it downloads by number");

            simulator.inject(Endpoint.EXPORT_START, Fault.omitInvoice(0), 1);
            Set<String> withoutFirst = exported(client, encryption, now);
            assertFalse(withoutFirst.contains(sold.get(0).ksefNumber()), "the first of the window left out once");
            assertEquals(exported.size() - 1, withoutFirst.size());
            assertEquals(Set.of(leftOut, sold.get(0).ksefNumber()), simulator.omittedFromExports());
            assertTrue(exported(client, encryption, now).contains(sold.get(0).ksefNumber()), "the next export has it again");
        }
    }

    /** The KSeF numbers in the _metadata.json of one Subject1 export of the last three days. */
    private static Set<String> exported(SimulatorClient client, EncryptionData encryption, OffsetDateTime now) throws Exception {
        var done = client.awaitExport(client.startIncremental("Subject1", now.minusDays(3), encryption));
        var entries = SimulatorBehaviourTest.unpack(client, done.invoicePackage(), encryption);
        var metadata = KsefJson.mapper().readValue(entries.get(InvoicePackageMetadata.FILE_NAME), InvoicePackageMetadata.class);
        Set<String> numbers = new LinkedHashSet<>();
        metadata.invoices().forEach(m -> numbers.add(m.ksefNumber()));
        assertEquals(numbers, entries.keySet().stream().filter(n -> n.endsWith(".xml")).map(n -> n.substring(0, n.length() - 4))
                .collect(java.util.stream.Collectors.toSet()), "listed and archived alike");
        return numbers;
    }
}
