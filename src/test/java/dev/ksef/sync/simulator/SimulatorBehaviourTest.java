package dev.ksef.sync.simulator;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ksef.sync.api.InvoiceExportStatusResponse;
import dev.ksef.sync.api.InvoicePackage;
import dev.ksef.sync.api.InvoicePackageMetadata;
import dev.ksef.sync.api.InvoicePackagePart;
import dev.ksef.sync.api.KsefJson;
import dev.ksef.sync.crypto.AesCbcStream;
import dev.ksef.sync.crypto.EncryptionData;
import dev.ksef.sync.crypto.KsefNumber;
import dev.ksef.sync.crypto.Sha256;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;

class SimulatorBehaviourTest {

    /** Decrypts every part in order, checks all four sizes and hashes, and returns the archive's entries. */
    static Map<String, byte[]> unpack(SimulatorClient client, InvoicePackage invoicePackage, EncryptionData encryption) throws Exception {
        ByteArrayOutputStream archive = new ByteArrayOutputStream();
        for (InvoicePackagePart part : invoicePackage.parts()) {
            var response = client.downloadResponse(part.url());
            assertEquals(200, response.statusCode());
            assertEquals(part.encryptedPartHash(), response.headers().firstValue("x-ms-meta-hash").orElseThrow());
            ByteArrayOutputStream plain = new ByteArrayOutputStream();
            var transfer = AesCbcStream.decrypt(new ByteArrayInputStream(response.body()), plain, encryption.secretKey(), encryption.iv());
            assertEquals(part.encryptedPartSize(), transfer.encryptedSize());
            assertEquals(part.encryptedPartHash(), transfer.encryptedHash());
            assertEquals(part.partSize(), transfer.plainSize());
            assertEquals(part.partHash(), transfer.plainHash());
            plain.writeTo(archive);
        }
        assertEquals(invoicePackage.size(), archive.size());
        Map<String, byte[]> entries = new LinkedHashMap<>();
        try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(archive.toByteArray()))) {
            for (ZipEntry entry; (entry = zip.getNextEntry()) != null; ) {
                entries.put(entry.getName(), zip.readAllBytes());
            }
        }
        return entries;
    }

    @Test
    void packageEncryptedBySimulatorDecryptsToTheExactInvoices() throws Exception {
        try (KsefSimulator simulator = new KsefSimulator(new SimulatorConfig().partSize(10_000)).start()) {
            OffsetDateTime now = simulator.clock().now();
            simulator.corpus().generate(200, now.minusDays(2), now.minusHours(1));
            SimulatorClient client = new SimulatorClient(simulator);
            client.login();
            EncryptionData encryption = client.encryption();
            var done = client.awaitExport(client.startIncremental("Subject1", now.minusDays(3), encryption));
            InvoicePackage invoicePackage = done.invoicePackage();
            assertTrue(invoicePackage.parts().size() > 3, "small parts: several of them");
            Map<String, byte[]> entries = unpack(client, invoicePackage, encryption);
            var metadata = KsefJson.mapper().readValue(entries.remove(InvoicePackageMetadata.FILE_NAME), InvoicePackageMetadata.class);
            List<SimInvoice> expected = simulator.corpus().select("Subject1", now.minusDays(3), now);
            assertEquals(expected.size(), invoicePackage.invoiceCount());
            assertEquals(expected.size(), metadata.invoices().size());
            var factory = DocumentBuilderFactory.newInstance();
            factory.setNamespaceAware(true);
            for (SimInvoice invoice : expected) {
                byte[] xml = entries.get(invoice.ksefNumber() + ".xml");
                assertArrayEquals(invoice.xml(), xml);
                assertEquals(invoice.metadata().invoiceHash(), Sha256.base64(xml));
                assertTrue(KsefNumber.isValid(invoice.ksefNumber()));
                var doc = factory.newDocumentBuilder().parse(new ByteArrayInputStream(xml));
                assertEquals("Faktura", doc.getDocumentElement().getLocalName());
                assertEquals(simulator.nip(), doc.getElementsByTagNameNS("*", "NIP").item(0).getTextContent());
            }
        }
    }

    @Test
    void corpusPutsTheCompanyInEveryRole() throws Exception {
        try (KsefSimulator simulator = new KsefSimulator(new SimulatorConfig()).start()) {
            OffsetDateTime now = simulator.clock().now();
            simulator.corpus().generate(400, now.minusDays(2), now.minusHours(1));
            for (String subjectType : InvoiceCorpus.SUBJECT_TYPES) {
                assertFalse(simulator.corpus().select(subjectType, now.minusDays(3), now).isEmpty(), subjectType);
            }
            SimInvoice authorized = simulator.corpus().select("SubjectAuthorized", now.minusDays(3), now).get(0);
            assertEquals(simulator.nip(), authorized.metadata().authorizedSubject().nip());
            assertTrue(new String(authorized.xml(), java.nio.charset.StandardCharsets.UTF_8).contains("<PodmiotUpowazniony>"));
            assertTrue(simulator.corpus().all().stream().anyMatch(i -> i.subjectTypes().size() == 2), "some invoices in two roles");
        }
    }

    @Test
    void hwmContinuationOverTruncatedWindowsYieldsEveryInvoice() throws Exception {
        SimulatorConfig config = new SimulatorConfig().maxInvoicesPerPackage(25).partSize(8_000).hwmLag(Duration.ofMinutes(2));
        try (KsefSimulator simulator = new KsefSimulator(config).start()) {
            OffsetDateTime now = simulator.clock().now();
            simulator.corpus().generate(300, now.minusDays(5), now.minusMinutes(10));
            for (int i = 0; i < 12; i++) {
                simulator.corpus().add(now.minusSeconds(30)); // stored after the HWM: not yet complete
            }
            SimulatorClient client = new SimulatorClient(simulator);
            client.login();
            OffsetDateTime continuationPoint = now.minusDays(6);
            List<String> delivered = new ArrayList<>();
            int windows = 0;
            boolean truncated = true;
            while (truncated) {
                EncryptionData encryption = client.encryption();
                InvoiceExportStatusResponse done = client.awaitExport(client.startIncremental("Subject2", continuationPoint, encryption));
                InvoicePackage p = done.invoicePackage();
                Map<String, byte[]> entries = unpack(client, p, encryption);
                entries.keySet().stream().filter(n -> n.endsWith(".xml")).forEach(n -> delivered.add(n.replace(".xml", "")));
                truncated = p.isTruncated();
                if (truncated) {
                    assertNotNull(p.lastPermanentStorageDate());
                    continuationPoint = p.lastPermanentStorageDate();
                } else {
                    assertNull(p.lastPermanentStorageDate());
                    continuationPoint = p.permanentStorageHwmDate();
                }
                windows++;
            }
            assertTrue(windows > 3, "several windows: " + windows);
            OffsetDateTime hwm = continuationPoint;
            Set<String> expected = new TreeSet<>(simulator.corpus().select("Subject2", now.minusDays(6), hwm).stream().map(SimInvoice::ksefNumber).toList());
            assertEquals(expected, new TreeSet<>(delivered), "every invoice up to the HWM");
            assertTrue(delivered.size() - expected.size() <= windows - 1, "repeats only at window boundaries");
            assertTrue(simulator.corpus().all().stream().anyMatch(i -> i.permanentStorageDate().isAfter(hwm)
                    && i.subjectTypes().contains("Subject2")), "invoices past the HWM wait for the next run");

            // invoices stored later show up in the next window once the HWM passes them
            SimInvoice late = simulator.corpus().add(hwm.plusSeconds(1));
            simulator.clock().advance(Duration.ofMinutes(5));
            EncryptionData encryption = client.encryption();
            var next = client.awaitExport(client.startIncremental("Subject2", hwm, encryption));
            if (late.subjectTypes().contains("Subject2")) {
                assertTrue(unpack(client, next.invoicePackage(), encryption).containsKey(late.ksefNumber() + ".xml"));
            }
            assertTrue(next.invoicePackage().permanentStorageHwmDate().isAfter(hwm));
        }
    }

    @Test
    void fromPastTheHwmEndsWithStatus420() throws Exception {
        try (KsefSimulator simulator = new KsefSimulator(new SimulatorConfig().hwmLag(Duration.ofMinutes(10))).start()) {
            SimulatorClient client = new SimulatorClient(simulator);
            client.login();
            var done = client.awaitExport(client.startIncremental("Subject1", simulator.clock().now().minusMinutes(1), client.encryption()));
            assertEquals(420, done.status().code());
        }
    }

    @Test
    void rateLimitAnswers429WithRetryAfterAndBlocksUntilItPasses() throws Exception {
        // an hour of KSeF's export-start limits in 10 real seconds (ample for 25 calls on a loaded machine): 20 per "hour", then 429
        SimulatorConfig config = new SimulatorConfig().rateLimitTimeScale(360).limits("invoiceExport", 0, 0, 20).blockPenaltySeconds(0);
        try (KsefSimulator simulator = new KsefSimulator(config).start()) {
            SimulatorClient client = new SimulatorClient(simulator);
            client.login();
            EncryptionData encryption = client.encryption();
            var request = dev.ksef.sync.export.ExportRequests.incremental("Subject1", simulator.clock().now().minusDays(1),
                    OffsetDateTime.now(), encryption.encryptionInfo());
            int accepted = 0;
            SimulatorClient.Exchange refused = null;
            for (int i = 0; i < 25 && refused == null; i++) {
                var answer = client.startExport(request);
                if (answer.status() == 429) {
                    refused = answer;
                } else {
                    assertTrue(answer.status() == 201 || answer.status() == 400, answer.responseBody());
                    accepted++;
                }
            }
            assertEquals(20, accepted);
            assertNotNull(refused);
            long retryAfter = Long.parseLong(refused.responseHeaders().get("retry-after").get(0));
            assertTrue(retryAfter >= 1 && retryAfter <= 10, "Retry-After in real seconds: " + retryAfter);
            assertEquals(429, refused.json().at("/status/code").asInt());
        }
    }

    @Test
    void rangeOverThreeMonthsIsRejectedWith21405() throws Exception {
        try (KsefSimulator simulator = new KsefSimulator(new SimulatorConfig()).start()) {
            SimulatorClient client = new SimulatorClient(simulator);
            client.login();
            EncryptionData encryption = client.encryption();
            var tooLong = new dev.ksef.sync.api.InvoiceExportRequest(encryption.encryptionInfo(), false,
                    new dev.ksef.sync.api.InvoiceQueryFilters("Subject1", new dev.ksef.sync.api.InvoiceQueryDateRange(
                            "PermanentStorage", OffsetDateTime.now().minusMonths(3).minusDays(2), null, true)), null);
            var answer = client.startExport(tooLong);
            assertEquals(400, answer.status());
            assertEquals(21405, answer.json().at("/exception/exceptionDetailList/0/exceptionCode").asInt());
            // the product's backfill request for the same start fits
            var backfill = dev.ksef.sync.export.ExportRequests.incremental("Subject1", OffsetDateTime.now().minusMonths(3).minusDays(2),
                    OffsetDateTime.now(), encryption.encryptionInfo());
            assertEquals(201, client.startExport(backfill).status());
        }
    }

    @Test
    void expiredAccessTokenGets401AndRefreshRestoresAccess() throws Exception {
        try (KsefSimulator simulator = new KsefSimulator(new SimulatorConfig().accessTokenTtl(Duration.ofMinutes(15))).start()) {
            SimulatorClient client = new SimulatorClient(simulator);
            client.login();
            String reference = client.startIncremental("Subject1", simulator.clock().now().minusDays(1), client.encryption());
            simulator.clock().advance(Duration.ofMinutes(16));
            var expired = client.call("GET", "/invoices/exports/" + reference, null, client.accessToken);
            assertEquals(401, expired.status());
            assertEquals("application/problem+json", expired.contentType());
            var refreshed = client.call("POST", "/auth/token/refresh", null, client.refreshToken);
            client.accessToken = refreshed.json().at("/accessToken/token").asText();
            assertEquals(200, client.call("GET", "/invoices/exports/" + reference, null, client.accessToken).status());
            simulator.revokeSessions();
            assertEquals(400, client.call("POST", "/auth/token/refresh", null, client.refreshToken).status());
        }
    }

    @Test
    void elevenRunningExportsAreRefusedWith21182() throws Exception {
        try (KsefSimulator simulator = new KsefSimulator(new SimulatorConfig().unlimited()).start()) {
            SimulatorClient client = new SimulatorClient(simulator);
            client.login();
            EncryptionData encryption = client.encryption();
            simulator.inject(Endpoint.EXPORT_START, Fault.stuckExport(), 10);
            for (int i = 0; i < 10; i++) {
                client.startIncremental("Subject1", simulator.clock().now().minusDays(1), encryption);
            }
            var refused = client.startExport(dev.ksef.sync.export.ExportRequests.incremental("Subject1",
                    simulator.clock().now().minusDays(1), OffsetDateTime.now(), encryption.encryptionInfo()));
            assertEquals(400, refused.status());
            assertEquals(21182, refused.json().at("/exception/exceptionDetailList/0/exceptionCode").asInt());
        }
    }

    @Test
    void partLinksExpireAndRejectTampering() throws Exception {
        try (KsefSimulator simulator = new KsefSimulator(new SimulatorConfig()).start()) {
            SimulatorClient client = new SimulatorClient(simulator);
            var done = smallFinishedExport(simulator, client);
            InvoicePackagePart part = done.invoicePackage().parts().get(0);
            assertTrue(part.url().contains("%"), "the signature arrives percent-encoded");
            assertEquals(403, client.downloadResponse(part.url().replace("sig=", "sig=X")).statusCode());
            simulator.clock().advance(Duration.ofMinutes(61));
            assertEquals(403, client.downloadResponse(part.url()).statusCode());
            client.login();
            var fresh = client.call("GET", "/invoices/exports/" + done.invoicePackage().parts().get(0).partName().substring(0, 36), null, client.accessToken)
                    .as(InvoiceExportStatusResponse.class);
            assertEquals(200, client.downloadResponse(fresh.invoicePackage().parts().get(0).url()).statusCode());
        }
    }

    @Test
    void injectedPartFaultsServeWrongBytesAndHtml() throws Exception {
        try (KsefSimulator simulator = new KsefSimulator(new SimulatorConfig()).start()) {
            SimulatorClient client = new SimulatorClient(simulator);
            var done = smallFinishedExport(simulator, client);
            InvoicePackagePart part = done.invoicePackage().parts().get(0);
            simulator.inject(Endpoint.PART_DOWNLOAD, Fault.wrongBytes(), 1);
            simulator.inject(Endpoint.PART_DOWNLOAD, Fault.htmlPage(), 1);
            byte[] wrong = client.download(part.url());
            assertEquals(part.encryptedPartSize(), wrong.length);
            assertFalse(part.encryptedPartHash().equals(Sha256.base64(wrong)));
            var html = client.downloadResponse(part.url());
            assertEquals("text/html", html.headers().firstValue("content-type").orElseThrow());
            assertEquals(part.encryptedPartHash(), Sha256.base64(client.download(part.url())));
        }
    }

    /** 30 invoices, a logged-in client, and a finished Subject1 export of them. */
    private static InvoiceExportStatusResponse smallFinishedExport(KsefSimulator simulator, SimulatorClient client) throws Exception {
        OffsetDateTime now = simulator.clock().now();
        simulator.corpus().generate(30, now.minusDays(1), now.minusHours(1));
        client.login();
        return client.awaitExport(client.startIncremental("Subject1", now.minusDays(2), client.encryption()));
    }
}
