package dev.ksef.sync.e2e;

import dev.ksef.sync.FreePort;
import dev.ksef.sync.app.SyncApp;
import dev.ksef.sync.simulator.InvoiceCorpus;
import dev.ksef.sync.simulator.KsefSimulator;
import dev.ksef.sync.simulator.SimInvoice;
import jakarta.jms.Connection;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import java.io.IOException;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;

/** Simulator + the bundle on a data directory, and an outside consumer on the embedded broker's TCP acceptor. */
final class SyncHarness {

    static final Map<String, String> QUEUES = Map.of(
            "Subject1", "ksef.invoices.subject1", "Subject2", "ksef.invoices.subject2",
            "Subject3", "ksef.invoices.subject3", "SubjectAuthorized", "ksef.invoices.subject-authorized");

    final KsefSimulator simulator;
    final Path dataDir;
    final int brokerPort;
    final Map<String, String> extra;

    SyncHarness(KsefSimulator simulator, Path dataDir, Map<String, String> extra) throws IOException {
        this.simulator = simulator;
        this.dataDir = dataDir;
        this.extra = extra;
        this.brokerPort = FreePort.next();
    }

    Map<String, String> properties(OffsetDateTime initialFrom) {
        Map<String, String> p = new HashMap<>();
        p.put("ksef.base-url", simulator.baseUrl());
        p.put("ksef.nip", simulator.nip());
        p.put("ksef.token", simulator.ksefToken());
        p.put("ksef.data-dir", dataDir.toString());
        p.put("ksef.sync.initial-from", initialFrom.toString());
        p.put("ksef.jms.embedded-port", Integer.toString(brokerPort));
        p.put("ksef.export.poll-interval-ms", "20");
        p.put("ksef.export.polls-per-doubling", "5"); // exports the simulator holds for many polls stay quick
        p.put("ksef.auth.poll-interval-ms", "20");
        p.put("ksef.publish.batch-size", "50");
        p.putAll(extra);
        return p;
    }

    SyncApp start(OffsetDateTime initialFrom) throws Exception {
        return SyncApp.start(properties(initialFrom), false);
    }

    /** What an outside consumer reads from a queue right now: ksefNumber -> message, all of them (no waiting for more). */
    List<TextMessage> drain(String queue) throws Exception {
        return drain(queue, TextMessage.class);
    }

    <T extends Message> List<T> drain(String queue, Class<T> type) throws Exception {
        List<T> messages = new ArrayList<>();
        // the bundle's external broker when it has one, else its embedded broker's acceptor, logged in as an outside consumer
        String[] login = login();
        ActiveMQConnectionFactory factory = new ActiveMQConnectionFactory(
                extra.getOrDefault("ksef.jms.broker-url", "tcp://127.0.0.1:" + brokerPort), login[0], login[1]);
        try (Connection connection = factory.createConnection()) {
            connection.start();
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageConsumer consumer = session.createConsumer(session.createQueue(queue));
            for (Message m; (m = consumer.receive(500)) != null; ) {
                messages.add(type.cast(m));
            }
        } finally {
            factory.close();
        }
        return messages;
    }

    /**
     * User and password of an outside consumer: the configured ones of an external broker, else what the embedded
     * broker generated at its first start into the data directory.
     */
    String[] login() throws IOException {
        if (extra.containsKey("ksef.jms.broker-url")) {
            return new String[] {extra.get("ksef.jms.user"), extra.get("ksef.jms.password")};
        }
        Properties generated = new Properties();
        try (var in = java.nio.file.Files.newInputStream(dataDir.resolve("broker-credentials.properties"))) {
            generated.load(in);
        }
        return new String[] {generated.getProperty("user"), generated.getProperty("password")};
    }

    Set<String> expected(String subjectType, OffsetDateTime from, OffsetDateTime to) {
        Set<String> numbers = new TreeSet<>();
        for (SimInvoice i : simulator.corpus().select(subjectType, from, to)) {
            numbers.add(i.ksefNumber());
        }
        return numbers;
    }

    static List<String> subjectTypes() {
        return InvoiceCorpus.SUBJECT_TYPES;
    }
}
