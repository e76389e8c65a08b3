package dev.ksef.sync.e2e;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ksef.sync.app.SyncApp;
import dev.ksef.sync.simulator.Call;
import dev.ksef.sync.simulator.Endpoint;
import dev.ksef.sync.simulator.KsefSimulator;
import dev.ksef.sync.simulator.SimInvoice;
import dev.ksef.sync.simulator.SimulatorConfig;
import jakarta.jms.TextMessage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** With {@code ksef.export.compression=TarGz} the exports ask for tar.gz packages, and every invoice arrives once. */
class TarGzSyncTest {

    @TempDir
    Path dataDir;

    @Test
    void aFirstSyncOfTarGzPackagesDeliversEveryInvoiceToItsQueueExactlyOnce() throws Exception {
        SimulatorConfig config = new SimulatorConfig().maxInvoicesPerPackage(60).partSize(20_000).unlimited();
        try (KsefSimulator simulator = new KsefSimulator(config).start()) {
            OffsetDateTime now = simulator.clock().now();
            simulator.corpus().generate(200, now.minusDays(10), now.minusMinutes(5));
            SyncHarness harness = new SyncHarness(simulator, dataDir, Map.of("ksef.export.compression", "TarGz"));
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
                        assertArrayEquals(byNumber.get(number).xml(), m.getText().getBytes(StandardCharsets.UTF_8));
                        assertEquals(byNumber.get(number).metadata().invoiceHash(), m.getStringProperty("ksefInvoiceHash"));
                    }
                    assertEquals(harness.expected(subjectType, initialFrom, simulator.currentHwm()), received, subjectType);
                }
                List<String> parts = simulator.calls().stream().filter(c -> c.endpoint() == Endpoint.PART_DOWNLOAD).map(Call::path).toList();
                assertTrue(parts.size() > 4, "packages of several parts: " + parts.size());
                assertTrue(parts.stream().allMatch(p -> p.contains(".tar.gz.aes")), "every part is of a tar.gz package: " + parts);
                try (Stream<Path> files = Files.walk(dataDir)) {
                    assertFalse(files.anyMatch(p -> p.getFileName().toString().endsWith(".entries")), "no side file of entries left");
                }
            }
        }
    }
}
