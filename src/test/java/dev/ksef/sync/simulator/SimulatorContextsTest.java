package dev.ksef.sync.simulator;

import static dev.ksef.sync.auth.xades.XadesSamples.CHALLENGE;
import static dev.ksef.sync.auth.xades.XadesSamples.SIGNED_AROUND;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ksef.sync.api.InvoicePackageMetadata;
import dev.ksef.sync.api.KsefJson;
import dev.ksef.sync.auth.xades.FreshSignatures;
import dev.ksef.sync.auth.xades.SelfSignedCertificates;
import dev.ksef.sync.auth.xades.SigningCredential;
import dev.ksef.sync.auth.xades.XadesSamples;
import dev.ksef.sync.crypto.EncryptionData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One simulator serving many contexts (NIPs), as an accounting office meets KSeF: each context with its own invoices,
 * KSeF token, exports and limits; certificate logins into a client's context only with the client's grant; an invoice
 * between two clients in the seller's Subject1 and the buyer's Subject2; the record of calls and exports per context.
 */
class SimulatorContextsTest {

    private static final SimulatorConfig THREE = new SimulatorConfig().generatedContexts(3).invoicesPerContext(40).unlimited();

    @Test
    void everyContextHasItsOwnInvoicesAndATokenThatLogsInThereOnly(@TempDir Path dir) throws Exception {
        try (KsefSimulator simulator = new KsefSimulator(THREE).start();
             KsefSimulator again = new KsefSimulator(THREE).start()) {
            List<String> nips = simulator.nips();
            assertEquals(3, Set.copyOf(nips).size());
            assertEquals(nips, again.nips(), "the same contexts from the same seed");
            Set<String> seen = new HashSet<>();
            for (String nip : nips) {
                List<String> numbers = simulator.corpus(nip).all().stream().map(SimInvoice::ksefNumber).toList();
                assertEquals(40, numbers.size(), nip);
                assertTrue(numbers.stream().allMatch(seen::add), "no invoice of one context in another");
                assertEquals(numbers, again.corpus(nip).all().stream().map(SimInvoice::ksefNumber).toList(), "generated from seed and NIP");
                assertTrue(simulator.invoices(nip, "Subject1").stream().allMatch(i -> i.metadata().seller().nip().equals(nip)));
            }
            String a = nips.get(0);
            String b = nips.get(1);
            assertEquals(simulator.ksefToken(), simulator.ksefToken(a));
            assertNotEquals(simulator.ksefToken(a), simulator.ksefToken(b));

            SimulatorClient inB = new SimulatorClient(simulator);
            assertEquals(200, inB.login(b, simulator.ksefToken(b)));
            String ofB = simulator.corpus(b).all().get(0).ksefNumber();
            String ofA = simulator.corpus(a).all().get(0).ksefNumber();
            assertEquals(200, inB.call("GET", "/invoices/ksef/" + ofB, null, inB.accessToken).status());
            var foreign = inB.call("GET", "/invoices/ksef/" + ofA, null, inB.accessToken);
            assertEquals(21164, foreign.json().at("/exception/exceptionDetailList/0/exceptionCode").asInt(), "not a party: unknown to B");

            SimulatorClient wrong = new SimulatorClient(simulator);
            assertEquals(450, wrong.login(b, simulator.ksefToken(a)), "A's token names B's context");
            List<Call> tokenLogins = simulator.calls(Endpoint.KSEF_TOKEN);
            assertEquals(List.of(b, b), tokenLogins.stream().map(Call::contextNip).toList(), "the context each login asked for");
            assertTrue(simulator.calls(Endpoint.INVOICE_DOWNLOAD).stream().allMatch(c -> b.equals(c.contextNip())));

            Path tokens = dir.resolve("tokens.csv");
            Main.writeTokens(simulator, tokens);
            assertEquals(nips.stream().map(n -> n + "," + simulator.ksefToken(n)).toList(), Files.readAllLines(tokens));
        }
    }

    @Test
    void certificateLoginIntoAClientContextNeedsTheClientsGrant() throws Exception {
        String office = XadesSamples.NIP;
        SigningCredential seal = FreshSignatures.credential(office, SelfSignedCertificates.Type.SEAL);
        try (KsefSimulator simulator = new KsefSimulator(new SimulatorConfig().nip(office).generatedContexts(3)).start()) {
            simulator.clock().set(SIGNED_AROUND);
            String client1 = simulator.nips().get(1);
            String client2 = simulator.nips().get(2);
            assertEquals(415, certificateLogin(simulator, client1, seal), "no grant yet");
            simulator.grantInvoiceRead(office, client1);
            assertEquals(200, certificateLogin(simulator, client1, seal));
            assertEquals(415, certificateLogin(simulator, client2, seal), "a grant in one context only");
            simulator.grantInvoiceReadEverywhere(office);
            assertEquals(200, certificateLogin(simulator, client2, seal));
            assertEquals(200, certificateLogin(simulator, simulator.nips().get(0), seal), "its own context");
            assertEquals(List.of(client1, client1, client2, client2, office),
                    simulator.calls(Endpoint.XADES_SIGNATURE).stream().map(Call::contextNip).toList());
        }
    }

    private static int certificateLogin(KsefSimulator simulator, String context, SigningCredential credential) throws Exception {
        simulator.issueChallenge(CHALLENGE);
        SimulatorClient client = new SimulatorClient(simulator);
        var init = client.postBytes("/auth/xades-signature", FreshSignatures.sign(FreshSignatures.requestForNip(context), credential),
                "application/xml");
        assertEquals(202, init.status(), init.responseBody());
        String reference = init.json().at("/referenceNumber").asText();
        String token = init.json().at("/authenticationToken/token").asText();
        int status;
        while ((status = client.call("GET", "/auth/" + reference, null, token).json().at("/status/code").asInt()) == 100) {
            Thread.onSpinWait();
        }
        return status;
    }

    @Test
    void anInvoiceBetweenTwoClientsIsTheSellersSubject1AndTheBuyersSubject2AndExportsAreRecorded() throws Exception {
        try (KsefSimulator simulator = new KsefSimulator(THREE).start()) {
            String seller = simulator.nips().get(0);
            String buyer = simulator.nips().get(1);
            OffsetDateTime now = simulator.clock().now();
            SimInvoice shared = simulator.addInvoiceBetween(seller, buyer, now.minusMinutes(2));
            assertEquals(buyer, shared.metadata().buyer().identifier().value());
            assertTrue(simulator.invoices(seller, "Subject1").contains(shared));
            assertTrue(simulator.invoices(buyer, "Subject2").stream().anyMatch(i -> i.ksefNumber().equals(shared.ksefNumber())));

            String inSeller = exportedXml(simulator, seller, "Subject1", shared.ksefNumber());
            String inBuyer = exportedXml(simulator, buyer, "Subject2", shared.ksefNumber());
            assertEquals(new String(shared.xml(), java.nio.charset.StandardCharsets.UTF_8), inSeller);
            assertEquals(inSeller, inBuyer, "the same document in both contexts");

            // two exports of one (context, subject type) in use at once are reported; the sequential ones above are not
            assertTrue(simulator.overlappingExports().isEmpty(), simulator.overlappingExports().toString());
            SimulatorClient client = new SimulatorClient(simulator);
            client.login(seller, simulator.ksefToken(seller));
            EncryptionData encryption = client.encryption();
            String first = client.startIncremental("Subject3", now.minusDays(1), encryption);
            String second = client.startIncremental("Subject3", now.minusDays(1), encryption);
            client.awaitExport(second);
            client.awaitExport(first);
            List<List<ExportRecord>> overlaps = simulator.overlappingExports();
            assertEquals(1, overlaps.size());
            assertEquals(Set.of(first, second), overlaps.get(0).stream().map(ExportRecord::referenceNumber).collect(Collectors.toSet()));
            List<ExportRecord> ofSeller = simulator.exports(seller);
            assertEquals(List.of("Subject1", "Subject3", "Subject3"), ofSeller.stream().map(ExportRecord::subjectType).toList());
            assertTrue(ofSeller.get(0).lastPartDownload() != null && ofSeller.get(0).firstStatusPoll() != null);
            assertFalse(ofSeller.get(1).sessions().isEmpty());
            assertEquals(4, simulator.exports().size());
            assertEquals(List.of(buyer), simulator.exports(buyer).stream().map(ExportRecord::contextNip).toList());
        }
    }

    /** Logs in to {@code nip}, exports {@code subjectType} for the last day and returns the invoice's document from the package. */
    private static String exportedXml(KsefSimulator simulator, String nip, String subjectType, String ksefNumber) throws Exception {
        SimulatorClient client = new SimulatorClient(simulator);
        assertEquals(200, client.login(nip, simulator.ksefToken(nip)));
        EncryptionData encryption = client.encryption();
        var done = client.awaitExport(client.startIncremental(subjectType, simulator.clock().now().minusDays(1), encryption));
        var entries = SimulatorBehaviourTest.unpack(client, done.invoicePackage(), encryption);
        var metadata = KsefJson.mapper().readValue(entries.get(InvoicePackageMetadata.FILE_NAME), InvoicePackageMetadata.class);
        assertTrue(metadata.invoices().stream().anyMatch(m -> m.ksefNumber().equals(ksefNumber)), nip + " " + subjectType);
        return new String(entries.get(ksefNumber + ".xml"), java.nio.charset.StandardCharsets.UTF_8);
    }
}
