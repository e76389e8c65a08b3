package dev.ksef.sync.app;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ksef.sync.FreePort;
import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.JMSSecurityException;
import jakarta.jms.DeliveryMode;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
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
    void aCommandEndingStopsTheClientsNetworkThreadsAtOnceAndANewClientStillConnects() throws Exception {
        int port = FreePort.next();
        Broker broker = new Broker("", "consumer", "a configured password", dataDir, port);
        broker.start();
        try {
            ActiveMQConnectionFactory tcp = new ActiveMQConnectionFactory("tcp://127.0.0.1:" + port, "consumer", "a configured password");
            assertEquals(List.of("hello"), sendAndReceive(tcp));
            // Artemis keeps the closed connection's event loop for 10 s; the JVM's exit would wait for its threads
            assertTrue(clientNetworkThreads() > 0, "the client's event loop outlives its connection");
            Broker.stopClientThreads();
            await().atMost(Duration.ofSeconds(5)).until(() -> clientNetworkThreads() == 0);
            assertEquals(List.of("hello"), sendAndReceive(new ActiveMQConnectionFactory("tcp://127.0.0.1:" + port, "consumer",
                    "a configured password")), "a later client gets an event loop of its own");
        } finally {
            broker.stop();
        }
    }

    private static long clientNetworkThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.isAlive() && t.getName().contains("activemq-client-remoting")).count();
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

    @Test
    void outsideConsumersLogInWithTheGeneratedPasswordWhichIsOwnerOnlyAndKeptAcrossRestarts() throws Exception {
        int port = FreePort.next();
        Broker broker = new Broker("", "", "", dataDir, port);
        broker.start();
        Path file = dataDir.resolve("broker-credentials.properties");
        String password;
        try {
            assertEquals(file, broker.loginFile());
            assertEquals(PosixFilePermissions.fromString("rw-------"), Files.getPosixFilePermissions(file), "readable by the owner only");
            Properties login = stored(file);
            assertEquals("ksef", login.getProperty("user"));
            password = login.getProperty("password");
            assertTrue(password.length() >= 32, "a long random password");

            assertRefused(port, null, null);
            assertRefused(port, "ksef", "wrong");
            assertRefused(port, "admin", password);
            assertEquals(List.of("hello"), sendAndReceive(new ActiveMQConnectionFactory("tcp://127.0.0.1:" + port, "ksef", password)));
            assertEquals(List.of("hello"), sendAndReceive(broker.connectionFactory()), "the sync's own in-VM connection logs in by itself");
        } finally {
            broker.stop();
        }

        Broker restarted = new Broker("", "", "", dataDir, port);
        restarted.start();
        try {
            assertEquals(password, stored(file).getProperty("password"), "the generated password is kept");
            assertEquals(List.of("hello"), sendAndReceive(new ActiveMQConnectionFactory("tcp://127.0.0.1:" + port, "ksef", password)));
        } finally {
            restarted.stop();
        }
    }

    @Test
    void aConfiguredUserAndPasswordAreTheLoginAndNothingIsGenerated() throws Exception {
        int port = FreePort.next();
        Broker broker = new Broker("", "consumer", "a configured password", dataDir, port);
        broker.start();
        try {
            assertEquals(null, broker.loginFile());
            assertFalse(Files.exists(dataDir.resolve("broker-credentials.properties")));
            assertRefused(port, "ksef", "a configured password");
            assertEquals(List.of("hello"), sendAndReceive(new ActiveMQConnectionFactory("tcp://127.0.0.1:" + port, "consumer",
                    "a configured password")));
        } finally {
            broker.stop();
        }
    }

    @Test
    void aMessageRolledBackTenTimesGoesToTheDeadLetterAddressAndAnExpiredOneToTheExpiryAddress() throws Exception {
        Broker broker = new Broker("", "", "", dataDir, FreePort.next());
        broker.start();
        try {
            var settings = broker.embeddedServer().getAddressSettingsRepository().getMatch("ksef.invoices.subject1");
            assertEquals("ksef.dlq", settings.getDeadLetterAddress().toString());
            assertEquals("ksef.expiry", settings.getExpiryAddress().toString());
            assertEquals(10, settings.getMaxDeliveryAttempts());

            try (Connection connection = broker.connectionFactory().createConnection();
                 Session session = connection.createSession(true, Session.SESSION_TRANSACTED)) {
                connection.start();
                session.createProducer(session.createQueue("ksef.invoices.subject1")).send(session.createTextMessage("poison"));
                session.commit();
                MessageConsumer consumer = session.createConsumer(session.createQueue("ksef.invoices.subject1"));
                for (int attempt = 1; attempt <= 10; attempt++) {
                    assertEquals("poison", ((TextMessage) consumer.receive(5_000)).getText(), "delivery " + attempt);
                    session.rollback();
                }
                assertEquals(null, consumer.receive(200), "gone from the queue after ten deliveries");
                await().atMost(Duration.ofSeconds(10)).until(() -> broker.queueDepth("DLQ.ksef.invoices.subject1") == 1);
                MessageConsumer dead = session.createConsumer(session.createQueue("ksef.dlq::DLQ.ksef.invoices.subject1"));
                Message m = dead.receive(5_000);
                assertEquals("poison", ((TextMessage) m).getText());
                assertEquals("ksef.invoices.subject1", m.getStringProperty("_AMQ_ORIG_ADDRESS"));
                session.commit();

                MessageProducer producer = session.createProducer(session.createQueue("ksef.invoices.subject2"));
                producer.setTimeToLive(1);
                producer.send(session.createTextMessage("stale"));
                session.commit();
                MessageConsumer late = session.createConsumer(session.createQueue("ksef.invoices.subject2"));
                await().atMost(Duration.ofSeconds(10)).until(() -> late.receive(100) == null
                        && broker.queueDepth("EXP.ksef.invoices.subject2") == 1);
            }
        } finally {
            broker.stop();
        }
    }

    private static Properties stored(Path file) throws IOException {
        Properties login = new Properties();
        try (var in = Files.newInputStream(file)) {
            login.load(in);
        }
        return login;
    }

    private static void assertRefused(int port, String user, String password) {
        ActiveMQConnectionFactory factory = new ActiveMQConnectionFactory("tcp://127.0.0.1:" + port, user, password);
        try {
            assertThrows(JMSSecurityException.class, () -> factory.createConnection().close(), user + " / wrong password refused");
        } finally {
            factory.close();
        }
    }

    private static List<String> sendAndReceive(ConnectionFactory factory) throws Exception {
        List<String> received = new ArrayList<>();
        try (Connection connection = factory.createConnection();
             Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE)) {
            connection.start();
            session.createProducer(session.createQueue("ksef.login.test")).send(session.createTextMessage("hello"));
            MessageConsumer consumer = session.createConsumer(session.createQueue("ksef.login.test"));
            for (Message m; (m = consumer.receive(1_000)) != null; ) {
                received.add(((TextMessage) m).getText());
            }
        } finally {
            if (factory instanceof ActiveMQConnectionFactory own) {
                own.close();
            }
        }
        return received;
    }
}
