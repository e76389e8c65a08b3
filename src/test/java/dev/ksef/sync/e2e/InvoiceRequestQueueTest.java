package dev.ksef.sync.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ksef.sync.app.SyncApp;
import dev.ksef.sync.crypto.KsefNumber;
import dev.ksef.sync.simulator.KsefSimulator;
import dev.ksef.sync.simulator.SimInvoice;
import dev.ksef.sync.simulator.SimulatorConfig;
import jakarta.jms.Connection;
import jakarta.jms.Message;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The request queue: a message with a ksefNumber makes the bundle publish that invoice again to its subject type's
 * queue with ksefSource=request, as often as it is asked for; a request that cannot be served is moved to the failed
 * queue with the reason.
 */
class InvoiceRequestQueueTest {

    private static final String REQUESTS = "ksef.requests";

    @TempDir
    Path dataDir;

    @Test
    void aRequestPublishesTheInvoiceAgainAndAFailedOneIsKeptWithItsReason() throws Exception {
        try (KsefSimulator simulator = new KsefSimulator(new SimulatorConfig().unlimited()).start()) {
            OffsetDateTime now = simulator.clock().now();
            simulator.corpus().generate(20, now.minusDays(2), now.minusMinutes(5));
            SyncHarness harness = new SyncHarness(simulator, dataDir, Map.of("ksef.subject-types", "Subject1", "ksef.requests.queue", REQUESTS));
            String queue = SyncHarness.QUEUES.get("Subject1");
            SimInvoice sold = simulator.invoices(simulator.nip(), "Subject1").get(0);
            try (SyncApp app = harness.start(now.minusDays(3))) {
                app.runOnce("Subject1");
                assertEquals(simulator.invoices(simulator.nip(), "Subject1").size(), harness.drain(queue).size());

                // asked for twice: delivered twice, though the sync delivered it before
                request(harness, Map.of("ksefNumber", sold.ksefNumber()));
                request(harness, Map.of("ksefNumber", sold.ksefNumber(), "ksefSubjectType", "Subject1", "ksefContextNip", simulator.nip()));
                List<TextMessage> again = new ArrayList<>();
                await().atMost(Duration.ofSeconds(30)).until(() -> {
                    again.addAll(harness.drain(queue));
                    return again.size() >= 2;
                });
                assertEquals(2, again.size());
                for (TextMessage m : again) {
                    assertEquals(sold.ksefNumber(), m.getStringProperty("ksefNumber"));
                    assertEquals("request", m.getStringProperty("ksefSource"));
                    assertEquals("Subject1", m.getStringProperty("ksefSubjectType"));
                    assertEquals(simulator.nip(), m.getStringProperty("ksefSellerNip"));
                    assertTrue(m.getStringProperty("_AMQ_DUPL_ID").startsWith(simulator.nip() + ":Subject1:" + sold.ksefNumber() + ":request:"));
                    assertArrayEquals(sold.xml(), m.getText().getBytes(StandardCharsets.UTF_8));
                }

                // an unknown number: moved to the failed queue with KSeF's reason, nothing published
                String unknown = KsefNumber.of(simulator.nip(), LocalDate.now(), "0000000000BB");
                request(harness, Map.of("ksefNumber", unknown, "erpReference", "order 17"));
                request(harness, Map.of("ksefNumber", "not a number"));
                List<TextMessage> failed = new ArrayList<>();
                await().atMost(Duration.ofSeconds(30)).until(() -> {
                    failed.addAll(harness.drain("ksef.requests.failed"));
                    return failed.size() >= 2;
                });
                assertEquals("order 17", failed.get(0).getStringProperty("erpReference"));
                assertTrue(failed.get(0).getStringProperty("ksefRequestFailure").contains("KSeF answered HTTP 400: 21164"),
                        failed.get(0).getStringProperty("ksefRequestFailure"));
                assertTrue(failed.get(1).getStringProperty("ksefRequestFailure").contains("'not a number' is not a KSeF number"),
                        failed.get(1).getStringProperty("ksefRequestFailure"));
                assertEquals(List.of(), harness.drain(queue));
                assertEquals(List.of(), harness.drain(REQUESTS), "no request left");
            }
        }
    }

    private static void request(SyncHarness harness, Map<String, String> properties) throws Exception {
        String[] login = harness.login();
        ActiveMQConnectionFactory factory = new ActiveMQConnectionFactory("tcp://127.0.0.1:" + harness.brokerPort, login[0], login[1]);
        try (factory; Connection connection = factory.createConnection()) {
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageProducer producer = session.createProducer(session.createQueue(REQUESTS));
            Message message = session.createTextMessage("");
            for (var p : properties.entrySet()) {
                message.setStringProperty(p.getKey(), p.getValue());
            }
            producer.send(message);
        }
    }
}
