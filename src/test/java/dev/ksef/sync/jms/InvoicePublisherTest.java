package dev.ksef.sync.jms;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ksef.sync.FreePort;
import dev.ksef.sync.api.InvoiceMetadata;
import dev.ksef.sync.app.Broker;
import dev.ksef.sync.export.ExportPlanner;
import dev.ksef.sync.export.ExportRun;
import dev.ksef.sync.pkg.InvoiceRecord;
import jakarta.jms.Connection;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A transacted batch that meets invoices the broker already holds still delivers its new ones, each once. */
class InvoicePublisherTest {

    private static final String NIP = "5265877635";
    private static final String QUEUE = "ksef.test.subject1";

    @TempDir
    Path dataDir;
    private Broker broker;

    @BeforeEach
    void start() throws Exception {
        broker = new Broker("", "", "", dataDir, FreePort.next());
        broker.start();
    }

    @AfterEach
    void stop() {
        broker.stop();
    }

    @Test
    void aBatchMeetingInvoicesTheBrokerHoldsStillDeliversItsNewOnesOnce() throws Exception {
        InvoicePublisher publisher = new InvoicePublisher(broker.connectionFactory(), null);
        // another node's run (or one cut short after its commit) delivered the first invoice already
        publisher.publish(exchange(run("ref-1")), List.of(invoice("A")));
        ExportRun second = run("ref-2");
        publisher.publish(exchange(second), List.of(invoice("A"), invoice("B"), invoice("C")));

        assertEquals(List.of("A", "B", "C"), received(), "each invoice once, the refused transaction's new ones included");
        assertEquals(3, second.published, "the batch counts what it sent");
    }

    private List<String> received() throws Exception {
        List<String> numbers = new ArrayList<>();
        try (Connection connection = broker.connectionFactory().createConnection();
             Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE)) {
            connection.start();
            MessageConsumer consumer = session.createConsumer(session.createQueue(QUEUE));
            for (TextMessage m; (m = (TextMessage) consumer.receive(500)) != null; ) {
                assertEquals(NIP, m.getStringProperty("ksefContextNip"));
                numbers.add(m.getStringProperty("ksefNumber"));
            }
        }
        return numbers;
    }

    private static ExportRun run(String reference) {
        ExportRun run = new ExportRun(NIP, "Subject1", QUEUE, OffsetDateTime.now(ZoneOffset.UTC), null, null);
        run.referenceNumber = reference;
        return run;
    }

    private static Exchange exchange(ExportRun run) {
        Exchange exchange = new DefaultExchange(new DefaultCamelContext());
        exchange.setProperty(ExportPlanner.EXPORT, run);
        exchange.setProperty(ExportPlanner.QUEUE, QUEUE);
        return exchange;
    }

    private static InvoiceRecord invoice(String number) {
        InvoiceMetadata metadata = new InvoiceMetadata(number, "FV/" + number, LocalDate.of(2026, 11, 2), null, null,
                OffsetDateTime.of(2026, 11, 2, 10, 0, 0, 0, ZoneOffset.UTC), null, null, 0, 0, 0, "PLN", "Online", "Vat", null, false, false,
                "hash-" + number, null, null, null);
        return new InvoiceRecord(number, metadata, ("<Faktura>" + number + "</Faktura>").getBytes(StandardCharsets.UTF_8), null);
    }
}
