package dev.ksef.sync.pkg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.zaxxer.hikari.HikariDataSource;
import dev.ksef.sync.export.ExportPlanner;
import dev.ksef.sync.export.ExportRun;
import dev.ksef.sync.app.AppDatabase;
import java.nio.file.Path;
import java.util.List;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The batch dedup against the migrated store: what one subject type delivered, and nothing else, is dropped. */
class DeliveredInvoicesTest {

    @TempDir
    Path dataDir;

    @Test
    void aBatchLosesOnlyWhatThisRepositoryDeliveredForThisSubjectType() throws Exception {
        try (HikariDataSource dataSource = AppDatabase.open("", "", "", dataDir)) {
            DeliveredInvoices delivered = new DeliveredInvoices(dataSource, "ksef-invoices");
            DeliveredInvoices otherRepository = new DeliveredInvoices(dataSource, "another-processor");
            Exchange subject1 = exchange("Subject1");
            Exchange subject2 = exchange("Subject2");

            delivered.delivered(subject1, List.of(invoice("A"), invoice("B")));
            delivered.delivered(subject2, List.of(invoice("C")));
            otherRepository.delivered(subject1, List.of(invoice("D")));
            delivered.stored(subject1);
            delivered.stored(subject2);
            otherRepository.stored(subject1);

            List<InvoiceRecord> batch = List.of(invoice("A"), invoice("B"), invoice("C"), invoice("D"), invoice("E"),
                    new InvoiceRecord("A", null, null, "in the archive but not in _metadata.json"));
            assertEquals(List.of("C", "D", "E", "A"), delivered.undelivered(subject1, batch).stream().map(InvoiceRecord::ksefNumber).toList(),
                    "A and B are on the broker for Subject1; C only for Subject2, D only for another repository; quarantine records always stay");
            delivered.delivered(subject1, batch);
            delivered.stored(subject1);
            assertEquals(List.of(), delivered.undelivered(subject1, batch.subList(0, 5)), "stored once more, and again no duplicates");
        }
    }

    @Test
    void stoppingStoresTheKeysAlreadyQueuedAndARestartedRepositoryStoresMore() throws Exception {
        try (HikariDataSource dataSource = AppDatabase.open("", "", "", dataDir)) {
            DeliveredInvoices delivered = new DeliveredInvoices(dataSource, "ksef-invoices");
            delivered.start();
            Exchange subject1 = exchange("Subject1");
            delivered.delivered(subject1, List.of(invoice("A"), invoice("B")));
            delivered.stop();
            DeliveredInvoices afterShutdown = new DeliveredInvoices(dataSource, "ksef-invoices");
            assertEquals(List.of("C"), afterShutdown.undelivered(subject1, List.of(invoice("A"), invoice("B"), invoice("C")))
                    .stream().map(InvoiceRecord::ksefNumber).toList(), "keys queued before the stop were stored by it");

            delivered.start();
            delivered.delivered(subject1, List.of(invoice("C")));
            delivered.stored(subject1);
            assertEquals(List.of(), afterShutdown.undelivered(subject1, List.of(invoice("C"))));
        }
    }

    @Test
    void aKeyTransactionThatFailsOnTheWriterThreadFailsTheExportWhenItWaitsForItsKeys() throws Exception {
        HikariDataSource dataSource = AppDatabase.open("", "", "", dataDir);
        DeliveredInvoices delivered = new DeliveredInvoices(dataSource, "ksef-invoices");
        Exchange subject1 = exchange("Subject1");
        dataSource.close(); // the store is gone after the broker committed
        delivered.delivered(subject1, List.of(invoice("A")));
        delivered.delivered(subject1, List.of(invoice("B")));
        java.sql.SQLException e = assertThrows(java.sql.SQLException.class, () -> delivered.stored(subject1));
        assertTrue(e.getMessage().contains("has been closed"), e.getMessage());
    }

    private static Exchange exchange(String subjectType) {
        Exchange exchange = new DefaultExchange(new DefaultCamelContext());
        exchange.setProperty(ExportPlanner.EXPORT, new ExportRun("5265877635", subjectType, "q", null, null, null));
        return exchange;
    }

    private static InvoiceRecord invoice(String ksefNumber) {
        return new InvoiceRecord(ksefNumber, null, new byte[0], null);
    }
}
