package dev.ksef.sync.e2e;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ksef.sync.KsefConfigurationException;
import dev.ksef.sync.jms.EndpointPublisher;
import dev.ksef.sync.simulator.Endpoint;
import dev.ksef.sync.simulator.Fault;
import dev.ksef.sync.simulator.Fault.Tamper;
import dev.ksef.sync.simulator.SimInvoice;
import jakarta.jms.BytesMessage;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.builder.RouteBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Destinations that are not JMS queues: a host route in the same CamelContext consumes {@code seda:} (or
 * {@code direct:}) and records what it is given, as a downstream system would see it. Every invoice arrives once, as
 * its package's bytes with the message contract's headers and the duplicate id; a restart repeats nothing; a receiver
 * that refuses an invoice fails the run without moving the continuation point, and the next run delivers the rest.
 */
class EndpointDestinationTest {

    static final String SEDA = "seda:ksef-test-subject1";

    @TempDir
    Path dataDir;

    @Test
    void everyInvoiceReachesTheEndpointOnceWithTheContractHeadersAndARestartRepeatsNothing() throws Exception {
        Sink sink = new Sink();
        try (FaultFixture f = FaultFixture.start(dataDir, FaultFixture.smallParts(),
                Map.of("ksef.publish.Subject1", SEDA + "?waitForTaskToComplete=Always"))) {
            sink.consume(f, SEDA);
            f.run();

            Set<String> first = f.expected();
            assertEquals(first, sink.numbers(), "every invoice of the window, once");
            for (Sink.Received r : sink.received) {
                String number = r.header("ksefNumber");
                SimInvoice invoice = f.simulator.corpus().find(number);
                assertArrayEquals(invoice.xml(), r.body(), "the invoice's bytes exactly as in the package");
                assertEquals("Subject1", r.header("ksefSubjectType"));
                assertEquals(f.simulator.nip() + ":Subject1:" + number, r.header("ksefMessageId"), "the stable duplicate id");
                assertEquals(Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256").digest(r.body())), r.header("ksefInvoiceHash"));
                assertEquals(invoice.metadata().invoiceNumber(), r.header("ksefInvoiceNumber"));
                assertEquals(String.valueOf(invoice.permanentStorageDate()), r.header("ksefPermanentStorageDate"));
                assertNotNull(r.header("ksefExportReference"));
            }
            assertEquals(List.of(), f.harness.drain(SyncHarness.QUEUES.get(FaultFixture.SUBJECT)), "nothing on the JMS queue");
            assertTrue(f.continuationPoint().isPresent());

            // new invoices, then a restart on the same data directory: only the new ones arrive
            List<SimInvoice> added = java.util.stream.IntStream.range(0, 12).mapToObj(i -> f.simulator.corpus().add(f.simulator.clock().now())).toList();
            f.simulator.clock().advance(Duration.ofSeconds(10));
            f.restart();
            sink.consume(f, SEDA);
            f.run();
            Set<String> newOnes = added.stream().filter(i -> i.subjectTypes().contains(FaultFixture.SUBJECT)).map(SimInvoice::ksefNumber)
                    .collect(Collectors.toCollection(TreeSet::new));
            Set<String> all = new TreeSet<>(first);
            all.addAll(newOnes);
            assertEquals(all, sink.numbers(), "nothing lost, nothing twice across the restart");
        }
    }

    @Test
    void aRefusedInvoiceFailsTheRunAndTheNextRunDeliversTheRest() throws Exception {
        Sink sink = new Sink();
        sink.refuseCall = 7; // in the second batch of five
        try (FaultFixture f = FaultFixture.start(dataDir, FaultFixture.smallParts(),
                Map.of("ksef.publish.Subject1", SEDA + "?waitForTaskToComplete=Always", "ksef.publish.batch-size", "5"))) {
            sink.consume(f, SEDA);
            Throwable refused = assertThrows(Exception.class, f::run);
            while (refused != null && !(refused instanceof EndpointPublisher.EndpointPublishException)) {
                refused = refused.getCause();
            }
            assertNotNull(refused, "the run fails with the endpoint's refusal");
            assertTrue(refused.getMessage().contains("receiver refuses invoice") && !refused.getMessage().contains("\n"),
                    "one line with the receiver's reason: " + refused.getMessage());
            assertTrue(f.continuationPoint().isEmpty(), "continuation point unchanged");
            assertEquals(List.of("RUNNING"), f.exportResults(), "the export is kept for the next run");
            assertEquals(6, sink.received.size(), "the endpoint took six invoices before it refused the seventh");
            assertEquals(List.of("6"), f.column("SELECT COUNT(*) FROM CAMEL_MESSAGEPROCESSED"),
                    "the keys of what the endpoint took are stored, those of the refused one and the rest are not");

            f.restart(); // the next run, in a new context on the same data directory
            sink.consume(f, SEDA);
            f.run();
            // at least once; and since the taken invoices' keys were stored, nothing came twice here
            assertEquals(f.expected(), sink.numbers(), "every invoice, the refused one included, once");
            assertEquals(1, f.calls(Endpoint.EXPORT_START).size(), "the same export resumed");
            assertEquals(List.of("DONE"), f.exportResults());
        }
    }

    @Test
    void theQueueShorthandStillNamesAJmsQueue() throws Exception {
        try (FaultFixture f = FaultFixture.start(dataDir, FaultFixture.smallParts(), Map.of("ksef.queue.Subject1", "ksef.legacy.subject1"))) {
            f.run();
            assertEquals(f.expected(), IncrementalSyncTest.numbers(f.harness.drain("ksef.legacy.subject1")));
            assertEquals(List.of(), f.harness.drain(SyncHarness.QUEUES.get(FaultFixture.SUBJECT)));
        }
    }

    @Test
    void quarantineToAnEndpointWhileInvoicesGoToTheirJmsQueue() throws Exception {
        Sink quarantine = new Sink();
        try (FaultFixture f = FaultFixture.start(dataDir, FaultFixture.smallParts(), Map.of("ksef.publish.invalid", "direct:ksef-test-invalid"))) {
            quarantine.consume(f, "direct:ksef-test-invalid");
            f.simulator.inject(Endpoint.EXPORT_START, Fault.tamperedPackage(Tamper.WRONG_INVOICE_HASH), 1);
            f.run();

            assertEquals(1, quarantine.received.size());
            Sink.Received odd = quarantine.received.get(0);
            String number = odd.header("ksefNumber");
            assertArrayEquals(f.simulator.corpus().find(number).xml(), odd.body(), "exactly the bytes the package held");
            assertTrue(odd.header("ksefQuarantineReason").contains("SHA-256 does not match invoiceHash"), odd.header("ksefQuarantineReason"));
            assertEquals("quarantine:" + f.simulator.nip() + ":Subject1:" + number + ":" + odd.header("ksefExportReference"), odd.header("ksefMessageId"));
            assertEquals(List.of(), f.quarantine(), "nothing on the JMS quarantine queue");
            Set<String> expected = new TreeSet<>(f.expected());
            expected.remove(number);
            assertEquals(expected, IncrementalSyncTest.numbers(f.harness.drain(SyncHarness.QUEUES.get(FaultFixture.SUBJECT))));
            assertEquals(List.of("DONE"), f.exportResults());
        }
    }

    @Test
    void quarantineToItsJmsQueueWhileInvoicesGoToAnEndpoint() throws Exception {
        Sink sink = new Sink();
        try (FaultFixture f = FaultFixture.start(dataDir, FaultFixture.smallParts(), Map.of("ksef.publish.Subject1", "direct:ksef-test-subject1"))) {
            sink.consume(f, "direct:ksef-test-subject1");
            f.simulator.inject(Endpoint.EXPORT_START, Fault.tamperedPackage(Tamper.MALFORMED_XML), 1);
            f.run();

            List<BytesMessage> quarantined = f.quarantine();
            assertEquals(1, quarantined.size());
            String number = quarantined.get(0).getStringProperty("ksefNumber");
            assertTrue(quarantined.get(0).getStringProperty("ksefQuarantineReason").contains("not well-formed XML"));
            Set<String> expected = new TreeSet<>(f.expected());
            expected.remove(number);
            assertEquals(expected, sink.numbers());
        }
    }

    @Test
    void aDestinationWithoutItsComponentFailsTheRunBeforeAnyExport() throws Exception {
        try (FaultFixture f = FaultFixture.start(dataDir, FaultFixture.smallParts(), Map.of("ksef.publish.Subject1", "nosuch:invoices?password=hunter2"))) {
            Exception e = assertThrows(Exception.class, f::run);
            KsefConfigurationException config = KsefConfigurationException.in(e);
            assertNotNull(config, "a configuration error: " + e);
            assertTrue(config.getMessage().startsWith("destination nosuch:invoices"), config.getMessage());
            assertTrue(!config.getMessage().contains("hunter2"), "no password repeated");
            assertEquals(0, f.calls(Endpoint.EXPORT_START).size());
        }
    }

    /** A downstream system: records each exchange it is given (body and headers); refuses the n-th call once when asked. */
    static final class Sink implements Processor {

        record Received(byte[] body, Map<String, Object> headers) {
            String header(String name) {
                return (String) headers.get(name);
            }
        }

        final List<Received> received = Collections.synchronizedList(new ArrayList<>());
        final AtomicInteger calls = new AtomicInteger();
        volatile int refuseCall;

        /** The host route consuming {@code uri} in the app's (new) context. */
        void consume(FaultFixture f, String uri) throws Exception {
            f.app.context().addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from(uri).routeId("test-sink-" + uri.replaceAll("\\W", "-")).process(Sink.this);
                }
            });
        }

        @Override
        public void process(Exchange exchange) {
            if (calls.incrementAndGet() == refuseCall) {
                throw new IllegalStateException("receiver refuses invoice " + exchange.getMessage().getHeader("ksefNumber") + "\n  (a second line)");
            }
            received.add(new Received(exchange.getMessage().getBody(byte[].class), new HashMap<>(exchange.getMessage().getHeaders())));
        }

        /** The KSeF numbers received; fails on a second copy of one. */
        Set<String> numbers() {
            Set<String> numbers = new TreeSet<>();
            synchronized (received) {
                for (Received r : received) {
                    assertTrue(numbers.add(r.header("ksefNumber")), "received twice: " + r.header("ksefNumber"));
                }
            }
            return numbers;
        }
    }
}
