package dev.ksef.sync.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ksef.sync.app.SyncApp;
import dev.ksef.sync.simulator.KsefSimulator;
import dev.ksef.sync.simulator.SimInvoice;
import dev.ksef.sync.simulator.SimulatorConfig;
import dev.ksef.sync.store.ContinuationPoints;
import jakarta.jms.TextMessage;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A second run after new invoices arrive delivers only the new ones, and a restart (new CamelContext on the same data
 * directory) continues from the stored continuation points. Runs on H2; {@link PostgresIncrementalSyncTest} runs it on
 * PostgreSQL.
 */
class IncrementalSyncTest {

    @TempDir
    Path dataDir;

    Map<String, String> storeProperties() {
        return Map.of();
    }

    @Test
    void secondRunAndRestartDeliverOnlyNewInvoices() throws Exception {
        SimulatorConfig config = new SimulatorConfig().maxInvoicesPerPackage(40).partSize(16_000).unlimited().hwmLag(Duration.ofSeconds(2));
        try (KsefSimulator simulator = new KsefSimulator(config).start()) {
            OffsetDateTime now = simulator.clock().now();
            simulator.corpus().generate(200, now.minusDays(5), now.minusMinutes(5));
            SyncHarness harness = new SyncHarness(simulator, dataDir, storeProperties());
            OffsetDateTime initialFrom = now.minusDays(6);
            Map<String, OffsetDateTime> pointsAfterFirst = new HashMap<>();
            Map<String, Set<String>> first = new HashMap<>();
            try (SyncApp app = harness.start(initialFrom)) {
                for (String subjectType : app.subjectTypes()) {
                    app.runOnce(subjectType);
                    pointsAfterFirst.put(subjectType, points(app).current(app.property("ksef.nip"), subjectType));
                    first.put(subjectType, numbers(harness.drain(SyncHarness.QUEUES.get(subjectType))));
                    assertEquals(harness.expected(subjectType, initialFrom, pointsAfterFirst.get(subjectType)), first.get(subjectType));
                }
                // new invoices arrive; the HWM passes them
                List<SimInvoice> added = java.util.stream.IntStream.range(0, 40)
                        .mapToObj(i -> simulator.corpus().add(simulator.clock().now())).toList();
                simulator.clock().advance(Duration.ofSeconds(10));
                for (String subjectType : List.of("Subject1", "Subject2")) {
                    app.runOnce(subjectType);
                    Set<String> second = numbers(harness.drain(SyncHarness.QUEUES.get(subjectType)));
                    Set<String> newOnes = added.stream().filter(i -> i.subjectTypes().contains(subjectType))
                            .map(SimInvoice::ksefNumber).collect(Collectors.toCollection(TreeSet::new));
                    assertEquals(newOnes, second, subjectType + ": only the new invoices, boundary repeats skipped");
                    assertTrue(points(app).current(app.property("ksef.nip"), subjectType).isAfter(pointsAfterFirst.get(subjectType)));
                }
            }
            // restart: a new CamelContext on the same data directory
            List<SimInvoice> later = java.util.stream.IntStream.range(0, 30)
                    .mapToObj(i -> simulator.corpus().add(simulator.clock().now())).toList();
            simulator.clock().advance(Duration.ofSeconds(10));
            try (SyncApp app = harness.start(now.minusDays(30))) {
                for (String subjectType : app.subjectTypes()) {
                    app.runOnce(subjectType);
                    Set<String> third = numbers(harness.drain(SyncHarness.QUEUES.get(subjectType)));
                    Set<String> expected = later.stream().filter(i -> i.subjectTypes().contains(subjectType))
                            .map(SimInvoice::ksefNumber).collect(Collectors.toCollection(TreeSet::new));
                    if (!subjectType.equals("Subject1") && !subjectType.equals("Subject2")) {
                        // these two did not run in between: they also get the first batch of additions
                        assertTrue(third.containsAll(expected), subjectType);
                        third.retainAll(expected);
                    }
                    assertEquals(expected, third, subjectType + " continues from its stored point, ignoring initial-from");
                }
            }
        }
    }

    private static ContinuationPoints points(SyncApp app) {
        return (ContinuationPoints) app.context().getRegistry().lookupByName("ksefContinuationPoints");
    }

    static Set<String> numbers(List<TextMessage> messages) throws Exception {
        Set<String> numbers = new TreeSet<>();
        for (TextMessage m : messages) {
            assertTrue(numbers.add(m.getStringProperty("ksefNumber")), "no duplicate on the queue");
        }
        return numbers;
    }
}
