package dev.ksef.sync.host;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ksef.sync.FreePort;
import dev.ksef.sync.app.Broker;
import dev.ksef.sync.simulator.KsefSimulator;
import dev.ksef.sync.simulator.SimInvoice;
import dev.ksef.sync.simulator.SimulatorConfig;
import jakarta.jms.Connection;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Session;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bundle embedded in a platform's camel-main host by configuration alone: the host's own DataSource (H2) and JMS
 * ConnectionFactory (its Artemis over TCP), the bundle's template instantiated in the host's route YAML for the seller
 * invoices into the platform's JMS queue, and the Kamelet for the buyer invoices into the platform's own bean endpoint.
 * Every invoice arrives once at the JMS queue (transactions and Artemis' duplicate id), and at the generic endpoint at
 * least once with a stable duplicate id by which the receiver keeps it once, also after the host restarts mid-run.
 */
class EmbeddingTest {

    @TempDir
    Path dir;

    @Test
    void aHostReceivesEveryInvoiceOnceAtItsJmsQueueAndItsGenericEndpointAcrossARestart() throws Exception {
        InvoiceLedger.RECEIVED.clear();
        SimulatorConfig config = new SimulatorConfig().maxInvoicesPerPackage(30).partSize(12_000).unlimited().hwmLag(Duration.ofSeconds(1));
        int brokerPort = FreePort.next();
        Broker platformBroker = new Broker("", PlatformHost.BROKER_USER, PlatformHost.BROKER_PASSWORD, dir.resolve("broker"), brokerPort);
        platformBroker.start();
        try (KsefSimulator simulator = new KsefSimulator(config).start()) {
            OffsetDateTime now = simulator.clock().now();
            simulator.corpus().generate(90, now.minusDays(3), now.minusMinutes(5));
            Map<String, String> environment = PlatformHost.environment(dir, simulator.nip(), simulator.baseUrl(), brokerPort);

            Set<String> seller = new TreeSet<>();
            try (PlatformHost host = PlatformHost.start(environment)) {
                Set<String> expectedSeller = numbers(simulator, "Subject1");
                Set<String> expectedBuyer = numbers(simulator, "Subject2");
                await().atMost(Duration.ofSeconds(60)).until(() -> {
                    seller.addAll(drain(brokerPort, "platform.invoices.seller"));
                    return seller.containsAll(expectedSeller) && InvoiceLedger.RECEIVED.keySet().containsAll(expectedBuyer);
                });
                assertEquals(expectedSeller, seller);
                assertEquals(expectedBuyer, InvoiceLedger.RECEIVED.keySet());
                Map<String, Object> headers = InvoiceLedger.RECEIVED.values().iterator().next().get(0);
                assertEquals("Subject2", headers.get("ksefSubjectType"), "the message contract travels as headers");
                assertTrue((Integer) headers.get("bodyLength") > 100, "the invoice XML is the body");
            }

            List<SimInvoice> added = java.util.stream.IntStream.range(0, 20).mapToObj(i -> simulator.corpus().add(simulator.clock().now())).toList();
            simulator.clock().advance(Duration.ofSeconds(5));
            try (PlatformHost host = PlatformHost.start(environment)) {
                Set<String> expectedSeller = numbers(simulator, "Subject1");
                Set<String> expectedBuyer = numbers(simulator, "Subject2");
                List<String> again = new ArrayList<>();
                await().atMost(Duration.ofSeconds(60)).until(() -> {
                    again.addAll(drain(brokerPort, "platform.invoices.seller"));
                    return new TreeSet<>(again).size() + seller.size() >= expectedSeller.size()
                            && InvoiceLedger.RECEIVED.keySet().containsAll(expectedBuyer);
                });
                Set<String> newSeller = added.stream().filter(i -> i.subjectTypes().contains("Subject1")).map(SimInvoice::ksefNumber)
                        .collect(Collectors.toCollection(TreeSet::new));
                assertEquals(newSeller, new TreeSet<>(again), "after the restart only the new seller invoices");
                assertEquals(again.size(), new TreeSet<>(again).size(), "each once");
                assertEquals(expectedBuyer, InvoiceLedger.delivered().keySet(), "every buyer invoice kept once by the receiver");
                InvoiceLedger.RECEIVED.forEach((number, receptions) -> receptions.forEach(r -> assertEquals(simulator.nip() + ":Subject2:" + number, r.get("ksefMessageId"),
                        "a stable duplicate id on every reception (a repeat after a restart is dropped by it): " + receptions.size())));
            }
        } finally {
            platformBroker.stop();
        }
    }

    private static Set<String> numbers(KsefSimulator simulator, String subjectType) {
        return simulator.corpus().select(subjectType, simulator.clock().now().minusDays(5), simulator.currentHwm()).stream()
                .map(SimInvoice::ksefNumber).collect(Collectors.toCollection(TreeSet::new));
    }

    private static List<String> drain(int port, String queue) throws Exception {
        List<String> numbers = new ArrayList<>();
        try (ActiveMQConnectionFactory factory = new ActiveMQConnectionFactory("tcp://127.0.0.1:" + port);
             Connection connection = factory.createConnection(PlatformHost.BROKER_USER, PlatformHost.BROKER_PASSWORD)) {
            connection.start();
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageConsumer consumer = session.createConsumer(session.createQueue(queue));
            for (Message m; (m = consumer.receive(200)) != null; ) {
                numbers.add(m.getStringProperty("ksefNumber"));
            }
        }
        return numbers;
    }
}
