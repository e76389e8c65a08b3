package dev.ksef.sync.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ksef.sync.FreePort;
import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BrokerTest {

    @TempDir
    Path dataDir;

    @Test
    void unconfiguredTheEmbeddedBrokerHoldsASixteenthOfTheHeapAndPagesInOneMegabyteFiles() throws Exception {
        Broker broker = new Broker("", "", "", dataDir, FreePort.next());
        broker.start();
        try {
            var server = broker.embeddedServer();
            assertEquals(Runtime.getRuntime().maxMemory() / 16, server.getConfiguration().getGlobalMaxSize());
            assertEquals(1 << 20, server.getAddressSettingsRepository().getMatch("ksef.invoices.subject1").getPageSizeBytes());
        } finally {
            broker.stop();
        }
    }

    @Test
    void aQueueNobodyReadsPagesToDiskBeyondItsMemoryAndLosesNothing() throws Exception {
        int port = FreePort.next();
        Broker broker = new Broker("", "", "", dataDir, port).memoryBytes(256 * 1024).pageBytes(64 * 1024);
        broker.start();
        try {
            String body = "<Faktura>" + "x".repeat(4_000) + "</Faktura>";
            try (Connection connection = broker.connectionFactory().createConnection();
                 Session session = connection.createSession(true, Session.SESSION_TRANSACTED)) {
                MessageProducer producer = session.createProducer(session.createQueue("ksef.invoices.subject1"));
                producer.setDeliveryMode(DeliveryMode.PERSISTENT);
                for (int i = 0; i < 500; i++) {
                    TextMessage message = session.createTextMessage(body);
                    message.setIntProperty("n", i);
                    producer.send(message);
                    if (i % 100 == 99) {
                        session.commit();
                    }
                }
            }
            var queue = broker.embeddedServer().locateQueue(SimpleString.of("ksef.invoices.subject1"));
            assertTrue(queue.getPagingStore().isPaging(), "4 MB of messages in 256 KB of broker memory: the address pages");
            try (Stream<Path> pages = Files.list(dataDir.resolve("broker").resolve("paging"))) {
                assertTrue(pages.findAny().isPresent(), "page files on disk");
            }

            List<Integer> received = new ArrayList<>();
            try (Connection connection = broker.connectionFactory().createConnection();
                 Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE)) {
                connection.start();
                MessageConsumer consumer = session.createConsumer(session.createQueue("ksef.invoices.subject1"));
                for (Message m; (m = consumer.receive(2_000)) != null; ) {
                    assertEquals(body, ((TextMessage) m).getText());
                    received.add(m.getIntProperty("n"));
                }
            }
            assertEquals(java.util.stream.IntStream.range(0, 500).boxed().toList(), received, "every message, in order");
        } finally {
            broker.stop();
        }
    }
}
