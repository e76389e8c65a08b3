package dev.ksef.sync.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.model.SimpleRequest;
import com.atlassian.oai.validator.report.ValidationReport;
import dev.ksef.sync.api.InvoiceExportStatusResponse;
import dev.ksef.sync.api.KsefJson;
import dev.ksef.sync.auth.xades.XadesSamples;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every body the simulator answers with, and every body the product's request builders make, validated against the
 * official openapi.json (API 2.6.0) with a real OpenAPI validator.
 */
class ContractConformanceTest {

    private static OpenApiInteractionValidator validator;
    private static KsefSimulator simulator;

    @BeforeAll
    static void start() throws Exception {
        try (InputStream in = ContractConformanceTest.class.getResourceAsStream("/ksef/openapi.json")) {
            validator = OpenApiInteractionValidator
                    .createForInlineApiSpecification(new String(in.readAllBytes(), StandardCharsets.UTF_8))
                    .build();
        }
        simulator = new KsefSimulator(new SimulatorConfig().pollsBeforeReady(1).maxInvoicesPerPackage(40).partSize(4096)).start();
        OffsetDateTime now = simulator.clock().now();
        simulator.corpus().generate(120, now.minusDays(3), now.minusMinutes(10));
    }

    @AfterAll
    static void stop() {
        simulator.close();
    }

    @Test
    void happyPathExchangesConformBothWays() throws Exception {
        SimulatorClient client = new SimulatorClient(simulator);
        client.login();
        client.call("POST", "/auth/token/refresh", null, client.refreshToken);
        var encryption = client.encryption();
        String reference = client.startIncremental("Subject2", simulator.clock().now().minusDays(4), encryption);
        InvoiceExportStatusResponse done = client.awaitExport(reference);
        assertEquals(200, done.status().code());
        assertTrue(done.invoicePackage().isTruncated(), "40 of the corpus per package: truncated");
        String ksefNumber = simulator.corpus().all().get(0).ksefNumber();
        var invoice = client.call("GET", "/invoices/ksef/" + ksefNumber, null, client.accessToken);
        assertEquals(200, invoice.status());

        Set<String> seen = validateAll(client.exchanges);
        assertTrue(seen.containsAll(List.of("POST /v2/auth/challenge 200", "POST /v2/auth/ksef-token 202", "GET /v2/auth/{ref} 200",
                "POST /v2/auth/token/redeem 200", "POST /v2/auth/token/refresh 200", "GET /v2/security/public-key-certificates 200",
                "POST /v2/invoices/exports 201", "GET /v2/invoices/exports/{ref} 200", "GET /v2/invoices/ksef/{n} 200")), seen.toString());
        // status 100 and status 200 with a package were both validated
        assertTrue(client.exchanges.stream().anyMatch(e -> e.responseBody().contains("\"code\":100")));
    }

    @Test
    void errorBodiesConformInBothFormats() throws Exception {
        for (boolean problem : new boolean[] {false, true}) {
            SimulatorClient client = new SimulatorClient(simulator);
            client.problemDetails = problem;
            client.login();
            var encryption = client.encryption();
            // 400 21405: more than three months
            var request = dev.ksef.sync.export.ExportRequests.incremental("Subject1", OffsetDateTime.now().minusMonths(5),
                    OffsetDateTime.now(), encryption.encryptionInfo());
            var tooLong = new dev.ksef.sync.api.InvoiceExportRequest(request.encryption(), false,
                    new dev.ksef.sync.api.InvoiceQueryFilters("Subject1", new dev.ksef.sync.api.InvoiceQueryDateRange(
                            "PermanentStorage", OffsetDateTime.now().minusMonths(5), null, true)), "Zip");
            assertEquals(400, client.startExport(tooLong).status());
            // 400 21175: unknown export
            assertEquals(400, client.call("GET", "/invoices/exports/20260101-EH-0000000000-0000000000-00", null, client.accessToken).status());
            // 401: no valid access token
            assertEquals(401, client.call("GET", "/invoices/exports/20260101-EH-0000000000-0000000000-00", null, "expired").status());
            // 429 from an injected burst, 500 from an injected fault
            simulator.inject(Endpoint.EXPORT_STATUS, Fault.tooManyRequests(7), 1);
            var limited = client.call("GET", "/invoices/exports/20260101-EH-0000000000-0000000000-00", null, client.accessToken);
            assertEquals(429, limited.status());
            assertEquals(List.of("7"), limited.responseHeaders().get("retry-after"));
            // 410 once the status retention is over
            String reference = client.startIncremental("Subject1", OffsetDateTime.now().minusDays(1), encryption);
            simulator.clock().advance(Duration.ofDays(8));
            try {
                client.login();
                assertEquals(410, client.call("GET", "/invoices/exports/" + reference, null, client.accessToken).status());
            } finally {
                simulator.clock().advance(Duration.ofDays(-8));
            }
            Set<String> seen = validateAll(client.exchanges);
            assertTrue(seen.containsAll(List.of("POST /v2/invoices/exports 400", "GET /v2/invoices/exports/{ref} 400",
                    "GET /v2/invoices/exports/{ref} 401", "GET /v2/invoices/exports/{ref} 429", "GET /v2/invoices/exports/{ref} 410")), seen.toString());
        }
    }

    @Test
    void singleInvoiceDownloadCarriesItsHashAndDocumentedErrorCodes() throws Exception {
        try (KsefSimulator own = new KsefSimulator(new SimulatorConfig()).start()) {
            OffsetDateTime now = own.clock().now();
            SimInvoice stored = own.corpus().generate(3, now.minusDays(1), now.minusHours(1)).get(0);
            SimInvoice pending = own.corpus().add(now.plusMinutes(5)); // processed, not yet in permanent storage
            String unknown = dev.ksef.sync.crypto.KsefNumber.of(own.nip(), now.toLocalDate(), "0FFFFFFFFFFF");
            for (boolean problem : new boolean[] {false, true}) {
                SimulatorClient client = new SimulatorClient(own);
                client.problemDetails = problem;
                client.login();
                var invoice = client.call("GET", "/invoices/ksef/" + stored.ksefNumber(), null, client.accessToken);
                assertEquals(200, invoice.status());
                assertEquals(List.of(stored.metadata().invoiceHash()), invoice.responseHeaders().get("x-ms-meta-hash"));
                assertEquals(dev.ksef.sync.crypto.Sha256.base64(invoice.responseBody().getBytes(StandardCharsets.UTF_8)),
                        invoice.responseHeaders().get("x-ms-meta-hash").get(0), "hash of the bytes returned");
                assertEquals(21164, errorCode(client.call("GET", "/invoices/ksef/" + unknown, null, client.accessToken)));
                assertEquals(21165, errorCode(client.call("GET", "/invoices/ksef/" + pending.ksefNumber(), null, client.accessToken)));
                assertEquals(21405, errorCode(client.call("GET", "/invoices/ksef/5265877635-20260101-0100000000FF-00", null, client.accessToken)));
                assertEquals(401, client.call("GET", "/invoices/ksef/" + stored.ksefNumber(), null, "expired").status());
                own.inject(Endpoint.INVOICE_DOWNLOAD, Fault.httpStatus(403), 1); // InvoiceRead withdrawn
                var forbidden = client.call("GET", "/invoices/ksef/" + stored.ksefNumber(), null, client.accessToken);
                assertEquals("missing-permissions", forbidden.json().at("/reasonCode").asText());
                Set<String> seen = validateAll(client.exchanges.stream().filter(e -> !e.path().contains("5265877635-20260101")).toList());
                assertTrue(seen.containsAll(List.of("GET /v2/invoices/ksef/{n} 200", "GET /v2/invoices/ksef/{n} 400",
                        "GET /v2/invoices/ksef/{n} 401", "GET /v2/invoices/ksef/{n} 403")), seen.toString());
            }
        }
    }

    /** The exception code of a 400 answer, in either error format. */
    private static int errorCode(SimulatorClient.Exchange exchange) throws Exception {
        assertEquals(400, exchange.status(), exchange.responseBody());
        var json = exchange.json();
        return json.has("errors") ? json.at("/errors/0/code").asInt() : json.at("/exception/exceptionDetailList/0/exceptionCode").asInt();
    }

    @Test
    void certificateLoginExchangesConform() throws Exception {
        try (KsefSimulator xades = new KsefSimulator(new SimulatorConfig()).start()) {
            xades.clock().set(XadesSamples.SIGNED_AROUND);
            SimulatorClient client = new SimulatorClient(xades);
            byte[] signed = XadesSamples.bytes(XadesSamples.DSS_RSA);
            String text = XadesSamples.text(XadesSamples.DSS_RSA);
            byte[] unsigned = XadesSamples.utf8(text.replace(XadesSamples.signature(text), ""));
            for (boolean problem : new boolean[] {false, true}) {
                client.problemDetails = problem;
                xades.issueChallenge(XadesSamples.CHALLENGE);
                assertEquals(400, client.postBytes("/auth/xades-signature", unsigned, "application/xml").status());
                var init = client.postBytes("/auth/xades-signature?verifyCertificateChain=false", signed, "application/xml");
                assertEquals(202, init.status(), init.responseBody());
                assertEquals(400, client.postBytes("/auth/xades-signature", signed, "application/xml").status(), "challenge used");
                String reference = init.json().at("/referenceNumber").asText();
                String token = init.json().at("/authenticationToken/token").asText();
                while (client.call("GET", "/auth/" + reference, null, token).json().at("/status/code").asInt() == 100) {
                    Thread.onSpinWait();
                }
                assertEquals(200, client.call("POST", "/auth/token/redeem", null, token).status());
            }
            Set<String> seen = validateAll(client.exchanges);
            assertTrue(seen.containsAll(List.of("POST /v2/auth/xades-signature 202", "POST /v2/auth/xades-signature 400",
                    "GET /v2/auth/{ref} 200", "POST /v2/auth/token/redeem 200")), seen.toString());
            assertTrue(client.exchanges.stream().anyMatch(e -> e.responseBody().contains("\"XadesSignature\"")));
        }
    }

    @Test
    void requestBodiesBuiltByTheProductConform() throws Exception {
        SimulatorClient client = new SimulatorClient(simulator);
        var encryption = client.encryption();
        OffsetDateTime now = OffsetDateTime.now();
        for (String subjectType : List.of("Subject1", "Subject2", "Subject3", "SubjectAuthorized")) {
            for (OffsetDateTime from : List.of(now.minusDays(2), now.minusMonths(7))) {
                var body = dev.ksef.sync.export.ExportRequests.incremental(subjectType, from, now, encryption.encryptionInfo());
                ValidationReport report = validator.validateRequest(SimpleRequest.Builder.post("/v2/invoices/exports")
                        .withContentType("application/json").withAuthorization("Bearer x")
                        .withBody(KsefJson.mapper().writeValueAsString(body)).build());
                assertTrue(!report.hasErrors(), subjectType + " " + from + ": " + report.getMessages());
            }
        }
    }

    /** Validates every recorded exchange and returns "METHOD path status" for each, with ids folded. */
    private static Set<String> validateAll(List<SimulatorClient.Exchange> exchanges) {
        Set<String> seen = new HashSet<>();
        for (SimulatorClient.Exchange e : exchanges) {
            ContractValidation.assertConform(e);
            seen.add(e.method() + " " + e.path()
                    .replaceAll("/auth/\\d{8}-AU-[^/]+", "/auth/{ref}")
                    .replaceAll("/exports/[^/]+", "/exports/{ref}")
                    .replaceAll("/ksef/[^/]+", "/ksef/{n}") + " " + e.status());
        }
        return seen;
    }
}
