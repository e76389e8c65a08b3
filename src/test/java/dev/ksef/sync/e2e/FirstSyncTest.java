package dev.ksef.sync.e2e;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ksef.sync.app.SyncApp;
import dev.ksef.sync.simulator.KsefSimulator;
import dev.ksef.sync.simulator.SimInvoice;
import dev.ksef.sync.simulator.SimulatorConfig;
import jakarta.jms.TextMessage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FirstSyncTest {

    @TempDir
    Path dataDir;

    @Test
    void firstSyncDeliversEveryInvoiceToItsQueueExactlyOnce() throws Exception {
        SimulatorConfig config = new SimulatorConfig().maxInvoicesPerPackage(60).partSize(20_000).unlimited();
        try (KsefSimulator simulator = new KsefSimulator(config).start()) {
            OffsetDateTime now = simulator.clock().now();
            simulator.corpus().generate(400, now.minusDays(10), now.minusMinutes(5));
            SyncHarness harness = new SyncHarness(simulator, dataDir, Map.of());
            OffsetDateTime initialFrom = now.minusDays(11);
            try (SyncApp app = harness.start(initialFrom)) {
                for (String subjectType : app.subjectTypes()) {
                    app.runOnce(subjectType);
                }
                Map<String, SimInvoice> byNumber = new HashMap<>();
                simulator.corpus().all().forEach(i -> byNumber.put(i.ksefNumber(), i));
                for (String subjectType : SyncHarness.subjectTypes()) {
                    List<TextMessage> messages = harness.drain(SyncHarness.QUEUES.get(subjectType));
                    Set<String> received = new TreeSet<>();
                    for (TextMessage m : messages) {
                        String number = m.getStringProperty("ksefNumber");
                        assertTrue(received.add(number), "exactly once: " + number);
                        assertEquals(subjectType, m.getStringProperty("ksefSubjectType"));
                        assertEquals(simulator.nip() + ":" + subjectType + ":" + number, m.getStringProperty("_AMQ_DUPL_ID"));
                        assertEquals(simulator.nip(), m.getStringProperty("ksefContextNip"));
                        SimInvoice invoice = byNumber.get(number);
                        assertArrayEquals(invoice.xml(), m.getText().getBytes(StandardCharsets.UTF_8));
                        assertEquals(invoice.metadata().invoiceHash(), m.getStringProperty("ksefInvoiceHash"));
                        assertEquals(invoice.metadata().invoiceNumber(), m.getStringProperty("ksefInvoiceNumber"));
                        assertEquals(invoice.metadata().seller().nip(), m.getStringProperty("ksefSellerNip"));
                        assertEquals("FA (3)", m.getStringProperty("ksefFormCode"));
                    }
                    assertEquals(harness.expected(subjectType, initialFrom, simulator.currentHwm()), received, subjectType);
                }
                assertTrue(simulator.calls().stream().filter(c -> c.endpoint() == dev.ksef.sync.simulator.Endpoint.PART_DOWNLOAD)
                        .noneMatch(c -> c.authorizationHeader()), "no Authorization header on part downloads");
            }
        }
    }
}
