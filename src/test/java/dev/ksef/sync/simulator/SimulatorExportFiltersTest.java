package dev.ksef.sync.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ksef.sync.api.InvoiceExportStatusResponse;
import dev.ksef.sync.api.InvoiceMetadata;
import dev.ksef.sync.api.InvoicePackageMetadata;
import dev.ksef.sync.api.KsefJson;
import dev.ksef.sync.crypto.EncryptionData;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What a client sees of an export's date type and filters: the invoices in the package and the package's dates. */
class SimulatorExportFiltersTest {

    private static final ZoneId WARSAW = ZoneId.of("Europe/Warsaw");

    /** A whole export from a raw request body: start, await, unpack; the metadata listed in _metadata.json. */
    private record Done(InvoiceExportStatusResponse status, Map<String, byte[]> entries, List<InvoiceMetadata> listed) {
    }

    private static Done export(SimulatorClient client, EncryptionData encryption, Map<String, Object> filters, Boolean onlyMetadata)
            throws Exception {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("encryption", encryption.encryptionInfo());
        if (onlyMetadata != null) {
            body.put("onlyMetadata", onlyMetadata);
        }
        body.put("filters", filters);
        var started = client.call("POST", "/invoices/exports", body, client.accessToken);
        assertEquals(201, started.status(), started.responseBody());
        InvoiceExportStatusResponse done = client.awaitExport(started.json().at("/referenceNumber").asText());
        assertEquals(200, done.status().code());
        Map<String, byte[]> entries = SimulatorBehaviourTest.unpack(client, done.invoicePackage(), encryption);
        byte[] metadata = entries.remove(InvoicePackageMetadata.FILE_NAME);
        List<InvoiceMetadata> listed = metadata == null ? List.of()
                : KsefJson.mapper().readValue(metadata, InvoicePackageMetadata.class).invoices();
        return new Done(done, entries, listed);
    }

    private static Map<String, Object> filters(String subjectType, String dateType, OffsetDateTime from, OffsetDateTime to, Boolean restrict) {
        Map<String, Object> range = new LinkedHashMap<>();
        range.put("dateType", dateType);
        range.put("from", from);
        if (to != null) {
            range.put("to", to);
        }
        if (restrict != null) {
            range.put("restrictToPermanentStorageHwmDate", restrict);
        }
        Map<String, Object> filters = new LinkedHashMap<>();
        filters.put("subjectType", subjectType);
        filters.put("dateRange", range);
        return filters;
    }

    @Test
    void issueAndInvoicingExportsFilterOnTheirOwnDateAndReportItWhenTruncated() throws Exception {
        SimulatorConfig config = new SimulatorConfig().maxInvoicesPerPackage(10).hwmLag(Duration.ofMinutes(2));
        try (KsefSimulator simulator = new KsefSimulator(config).start()) {
            OffsetDateTime now = simulator.clock().now();
            simulator.corpus().generate(80, now.minusDays(10), now.minusHours(1));
            SimulatorClient client = new SimulatorClient(simulator);
            client.login();
            EncryptionData encryption = client.encryption();
            OffsetDateTime from = now.minusDays(6);

            Done invoicing = export(client, encryption, filters("Subject1", "Invoicing", from, null, null), null);
            var p = invoicing.status().invoicePackage();
            assertTrue(p.isTruncated());
            List<SimInvoice> expected = simulator.corpus().all().stream().filter(i -> i.subjectTypes().contains("Subject1"))
                    .filter(i -> !i.metadata().invoicingDate().isBefore(from))
                    .sorted(java.util.Comparator.comparing(i -> i.metadata().invoicingDate())).limit(10).toList();
            assertEquals(expected.stream().map(SimInvoice::ksefNumber).toList(), invoicing.listed().stream().map(InvoiceMetadata::ksefNumber).toList());
            assertEquals(expected.get(9).metadata().invoicingDate(), p.lastInvoicingDate());
            assertNull(p.lastIssueDate());
            assertNull(p.lastPermanentStorageDate());
            assertNull(p.permanentStorageHwmDate(), "HWM is for PermanentStorage only");

            Done issue = export(client, encryption, filters("Subject2", "Issue", from, null, null), null);
            p = issue.status().invoicePackage();
            assertTrue(p.isTruncated());
            var fromDay = from.atZoneSameInstant(WARSAW).toLocalDate();
            for (InvoiceMetadata m : issue.listed()) {
                assertFalse(m.issueDate().isBefore(fromDay), m.ksefNumber());
            }
            assertEquals(issue.listed().get(9).issueDate(), p.lastIssueDate());
            assertTrue(issue.listed().stream().map(InvoiceMetadata::issueDate).sorted().toList()
                    .equals(issue.listed().stream().map(InvoiceMetadata::issueDate).toList()), "ascending by issue date");
            assertNull(p.lastInvoicingDate());
            assertNull(p.lastPermanentStorageDate());
            assertNull(p.permanentStorageHwmDate());
            ContractValidation.assertConform(client.exchanges);
        }
    }

    @Test
    void permanentStorageHwmIsNeverAfterNowEvenWithoutRestriction() throws Exception {
        SimulatorConfig config = new SimulatorConfig().hwmLag(Duration.ofMinutes(2));
        try (KsefSimulator simulator = new KsefSimulator(config).start()) {
            OffsetDateTime now = simulator.clock().now();
            simulator.corpus().generate(30, now.minusDays(2), now.minusHours(1));
            SimulatorClient client = new SimulatorClient(simulator);
            client.login();
            EncryptionData encryption = client.encryption();
            for (Boolean restrict : new Boolean[] {null, false, true}) {
                Done done = export(client, encryption, filters("Subject1", "PermanentStorage", now.minusDays(3), now.plusDays(1), restrict), null);
                var p = done.status().invoicePackage();
                assertNotNull(p.permanentStorageHwmDate(), "restrict " + restrict);
                assertFalse(p.permanentStorageHwmDate().isAfter(simulator.clock().now()), "restrict " + restrict + ": " + p.permanentStorageHwmDate());
                assertFalse(p.permanentStorageHwmDate().isAfter(simulator.currentHwm()));
                assertFalse(p.isTruncated());
                assertNull(p.lastPermanentStorageDate(), "only when truncated");
                assertNull(p.lastIssueDate());
                assertNull(p.lastInvoicingDate());
            }
            // a range wholly in the past: the HWM is its end
            OffsetDateTime to = now.minusDays(1);
            var p = export(client, encryption, filters("Subject1", "PermanentStorage", now.minusDays(3), to, false), null).status().invoicePackage();
            assertEquals(to.toInstant(), p.permanentStorageHwmDate().toInstant());
            ContractValidation.assertConform(client.exchanges);
        }
    }

    @Test
    void onlyMetadataPackagesListTheInvoicesWithoutTheirFiles() throws Exception {
        try (KsefSimulator simulator = new KsefSimulator(new SimulatorConfig()).start()) {
            OffsetDateTime now = simulator.clock().now();
            simulator.corpus().generate(40, now.minusDays(2), now.minusHours(1));
            SimulatorClient client = new SimulatorClient(simulator);
            client.login();
            EncryptionData encryption = client.encryption();
            var filters = filters("Subject2", "PermanentStorage", now.minusDays(3), null, true);
            Done full = export(client, encryption, filters, false);
            Done metadataOnly = export(client, encryption, filters, true);
            assertFalse(full.entries().isEmpty());
            assertTrue(metadataOnly.entries().isEmpty(), "only _metadata.json: " + metadataOnly.entries().keySet());
            assertEquals(full.listed(), metadataOnly.listed());
            assertEquals(full.listed().size(), metadataOnly.status().invoicePackage().invoiceCount());
            ContractValidation.assertConform(client.exchanges);
        }
    }

    @Test
    void narrowingFiltersSelectWhatTheirMetadataSays() throws Exception {
        try (KsefSimulator simulator = new KsefSimulator(new SimulatorConfig().unlimited()).start()) {
            OffsetDateTime now = simulator.clock().now();
            simulator.corpus().generate(150, now.minusDays(2), now.minusHours(1));
            SimulatorClient client = new SimulatorClient(simulator);
            client.login();
            EncryptionData encryption = client.encryption();
            List<InvoiceMetadata> bought = simulator.corpus().select("Subject2", now.minusDays(3), now).stream().map(SimInvoice::metadata).toList();
            InvoiceMetadata one = bought.get(bought.size() / 2);
            InvoiceMetadata withAttachment = bought.stream().filter(InvoiceMetadata::hasAttachment).findFirst().orElseThrow();
            Map<String, java.util.function.Predicate<InvoiceMetadata>> cases = new LinkedHashMap<>();
            Map<String, Object> values = new LinkedHashMap<>();
            values.put("ksefNumber", one.ksefNumber());
            cases.put("ksefNumber", m -> m.ksefNumber().equals(one.ksefNumber()));
            values.put("invoiceNumber", one.invoiceNumber());
            cases.put("invoiceNumber", m -> m.invoiceNumber().equals(one.invoiceNumber()));
            values.put("sellerNip", one.seller().nip());
            cases.put("sellerNip", m -> m.seller().nip().equals(one.seller().nip()));
            values.put("buyerIdentifier", Map.of("type", "Nip", "value", simulator.nip()));
            cases.put("buyerIdentifier", m -> m.buyer().identifier().value().equals(simulator.nip()));
            values.put("amount", Map.of("type", "Brutto", "from", one.grossAmount() - 0.01, "to", one.grossAmount() + 0.01));
            cases.put("amount", m -> Math.abs(m.grossAmount() - one.grossAmount()) <= 0.01);
            values.put("currencyCodes", List.of(one.currency()));
            cases.put("currencyCodes", m -> m.currency().equals(one.currency()));
            values.put("hasAttachment", true);
            cases.put("hasAttachment", InvoiceMetadata::hasAttachment);
            values.put("isSelfInvoicing", false);
            cases.put("isSelfInvoicing", m -> !m.isSelfInvoicing());
            values.put("formType", "FA");
            cases.put("formType", m -> m.formCode().value().equals("FA"));
            values.put("invoiceTypes", List.of("Kor", "KorZal")); // the corpus has basic (Vat) invoices only
            cases.put("invoiceTypes", m -> List.of("Kor", "KorZal").contains(m.invoiceType()));
            values.put("invoicingMode", "Offline");
            cases.put("invoicingMode", m -> m.invoicingMode().equals("Offline"));
            for (String name : cases.keySet()) {
                var filters = filters("Subject2", "PermanentStorage", now.minusDays(3), null, true);
                filters.put(name, values.get(name));
                List<String> expected = bought.stream().filter(cases.get(name)).map(InvoiceMetadata::ksefNumber).toList();
                List<String> listed = export(client, encryption, filters, null).listed().stream().map(InvoiceMetadata::ksefNumber).toList();
                assertEquals(expected, listed, name);
                assertTrue(name.equals("invoicingMode") || name.equals("invoiceTypes") || !listed.isEmpty(), name + " selects something");
                assertTrue(List.of("formType", "buyerIdentifier", "isSelfInvoicing", "currencyCodes").contains(name)
                        || listed.size() < bought.size(), name + " narrows");
            }
            var inEuro = filters("Subject2", "PermanentStorage", now.minusDays(3), null, true);
            inEuro.put("currencyCodes", List.of("EUR", "USD"));
            assertEquals(bought.stream().filter(m -> List.of("EUR", "USD").contains(m.currency())).map(InvoiceMetadata::ksefNumber).toList(),
                    export(client, encryption, inEuro, null).listed().stream().map(InvoiceMetadata::ksefNumber).toList());
            assertTrue(bought.stream().anyMatch(m -> !m.hasAttachment()) && withAttachment != null);
            var filters = filters("Subject2", "PermanentStorage", now.minusDays(3), null, true);
            filters.put("amount", Map.of("type", "Gross"));
            var refused = client.call("POST", "/invoices/exports", Map.of("encryption", encryption.encryptionInfo(), "filters", filters),
                    client.accessToken);
            assertEquals(400, refused.status());
            assertEquals(21405, refused.json().at("/exception/exceptionDetailList/0/exceptionCode").asInt());
            ContractValidation.assertConform(client.exchanges.stream().filter(e -> e != refused).toList());
        }
    }
}
