package dev.ksef.sync.e2e;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ksef.sync.app.SyncApp;
import dev.ksef.sync.crypto.KsefNumber;
import dev.ksef.sync.crypto.Sha256;
import dev.ksef.sync.download.KsefCallException;
import dev.ksef.sync.simulator.Call;
import dev.ksef.sync.simulator.Endpoint;
import dev.ksef.sync.simulator.Fault;
import dev.ksef.sync.simulator.KsefSimulator;
import dev.ksef.sync.simulator.SimInvoice;
import dev.ksef.sync.simulator.SimulatorConfig;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import org.apache.camel.CamelExecutionException;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code direct:ksef-invoice}: a host asks for an invoice by KSeF number and gets the XML verified against
 * {@code x-ms-meta-hash}; what KSeF refuses is one line with its code; a 401 renews the session and a 429 waits, as
 * for the sync.
 */
class InvoiceByNumberTest {

    @TempDir
    Path dataDir;

    @Test
    void anInvoiceByItsKsefNumberAndWhatKsefRefuses() throws Exception {
        try (KsefSimulator simulator = new KsefSimulator(new SimulatorConfig().unlimited()).start()) {
            OffsetDateTime now = simulator.clock().now();
            List<SimInvoice> invoices = simulator.corpus().generate(3, now.minusDays(2), now.minusMinutes(5));
            SyncHarness harness = new SyncHarness(simulator, dataDir, Map.of("ksef.rate.max-wait", "PT30S"));
            try (SyncApp app = harness.start(now.minusDays(3))) {
                ProducerTemplate template = app.context().createProducerTemplate();
                SimInvoice invoice = invoices.get(0);

                Exchange answer = template.request("direct:ksef-invoice", e -> {
                    e.getMessage().setHeader("ksefNumber", invoice.ksefNumber());
                });
                assertEquals(null, answer.getException());
                assertArrayEquals(invoice.xml(), answer.getMessage().getBody(byte[].class));
                assertEquals(Sha256.base64(invoice.xml()), answer.getMessage().getHeader("ksefInvoiceHash"));
                assertEquals(simulator.nip(), answer.getMessage().getHeader("ksefContextNip"));

                // unknown to KSeF: its code and text in one line, no retry
                String unknown = KsefNumber.of(simulator.nip(), LocalDate.now(), "0000000000AA");
                int before = simulator.calls(Endpoint.INVOICE_DOWNLOAD).size();
                String refused = failure(template, unknown);
                assertTrue(refused.startsWith("invoice " + unknown + " of context " + simulator.nip() + ": KSeF answered HTTP 400: 21164 "), refused);
                assertEquals(before + 1, simulator.calls(Endpoint.INVOICE_DOWNLOAD).size(), "a refusal is not retried");

                // not a KSeF number: refused before any call
                assertEquals("invoice download: '../exports' is not a KSeF number (NIP-YYYYMMDD-XXXXXXXXXXXX-CC with a valid checksum)",
                        failure(template, "../exports"));
                assertEquals(before + 1, simulator.calls(Endpoint.INVOICE_DOWNLOAD).size());

                // 401: the session renewed and the call made again; 429: the call waits out Retry-After
                simulator.inject(Endpoint.INVOICE_DOWNLOAD, Fault.httpStatus(401), 1);
                assertArrayEquals(invoices.get(1).xml(), template.requestBodyAndHeader("direct:ksef-invoice", null, "ksefNumber",
                        invoices.get(1).ksefNumber(), byte[].class));
                simulator.inject(Endpoint.INVOICE_DOWNLOAD, Fault.tooManyRequests(1), 1);
                assertArrayEquals(invoices.get(2).xml(), template.requestBodyAndHeader("direct:ksef-invoice", null, "ksefNumber",
                        invoices.get(2).ksefNumber(), byte[].class));
                List<Call> calls = simulator.calls(Endpoint.INVOICE_DOWNLOAD);
                Call throttled = calls.get(calls.size() - 2);
                assertEquals(429, throttled.status());
                assertEquals(200, calls.get(calls.size() - 1).status());
                assertTrue(!calls.get(calls.size() - 1).at().isBefore(throttled.at().plusMillis(900)), "waited for Retry-After");
                assertEquals(401, calls.get(calls.size() - 4).status());
                assertEquals(200, calls.get(calls.size() - 3).status());
                // every attempt counted in the budget of its endpoint group (KSeF's invoiceDownload, 8/16/64)
                try (var c = app.context().getRegistry().findSingleByType(javax.sql.DataSource.class).getConnection();
                     var r = c.createStatement().executeQuery("SELECT COUNT(*) FROM rate_limit_call WHERE limit_group = 'invoiceDownload'")) {
                    r.next();
                    assertEquals(calls.size(), r.getInt(1));
                }
            }
        }
    }

    private static String failure(ProducerTemplate template, String number) {
        CamelExecutionException e = assertThrows(CamelExecutionException.class,
                () -> template.requestBodyAndHeader("direct:ksef-invoice", null, "ksefNumber", number));
        assertTrue(e.getCause() instanceof KsefCallException, String.valueOf(e.getCause()));
        String line = e.getCause().getMessage();
        assertFalse(line.contains("\n"), line);
        return line;
    }
}
