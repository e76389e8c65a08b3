package dev.ksef.sync.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ksef.sync.app.SyncApp;
import dev.ksef.sync.simulator.Call;
import dev.ksef.sync.simulator.Endpoint;
import dev.ksef.sync.simulator.KsefSimulator;
import dev.ksef.sync.simulator.SimulatorConfig;
import dev.ksef.sync.store.ContinuationPoints;
import jakarta.jms.BytesMessage;
import jakarta.jms.TextMessage;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import javax.sql.DataSource;

/**
 * One fault case: a simulator holding 40 invoices of the last days (Subject1 sees about half of them, in several small
 * parts), the bundle started on a fresh data directory with fast test timings, and what a user would look at after:
 * the queue, the continuation point, the export rows, and the simulator's record of calls.
 */
final class FaultFixture implements AutoCloseable {

    static final String SUBJECT = "Subject1";

    final KsefSimulator simulator;
    final SyncHarness harness;
    final OffsetDateTime initialFrom;
    final Map<String, String> properties;
    SyncApp app;

    private FaultFixture(KsefSimulator simulator, Path dataDir, Map<String, String> overrides) throws Exception {
        this.simulator = simulator;
        OffsetDateTime now = simulator.clock().now();
        simulator.corpus().generate(40, now.minusDays(3), now.minusMinutes(5));
        this.initialFrom = now.minusDays(4);
        Map<String, String> p = new HashMap<>();
        p.put("ksef.subject-types", SUBJECT);
        p.put("ksef.retry.initial-delay-ms", "50");
        p.put("ksef.retry.max-delay-ms", "400");
        p.put("ksef.package.part-retry-delay-ms", "20");
        p.put("ksef.rate.max-wait", "PT30S");
        p.putAll(overrides);
        this.properties = p;
        this.harness = new SyncHarness(simulator, dataDir, p);
        this.app = harness.start(initialFrom);
    }

    static FaultFixture start(Path dataDir, SimulatorConfig config, Map<String, String> overrides) throws Exception {
        return new FaultFixture(new KsefSimulator(config).start(), dataDir, overrides);
    }

    static SimulatorConfig smallParts() {
        return new SimulatorConfig().unlimited().partSize(8_000).hwmLag(Duration.ofSeconds(1)).pollsBeforeReady(1);
    }

    void run() throws Exception {
        app.runOnce(SUBJECT);
    }

    /** A restart: a new CamelContext on the same data directory and database. */
    void restart() throws Exception {
        app.close();
        app = harness.start(initialFrom);
    }

    Set<String> expected() {
        return harness.expected(SUBJECT, initialFrom, simulator.clock().now());
    }

    /** Every invoice of the window is on the queue, once. */
    void assertAllDeliveredOnce() throws Exception {
        assertEquals(expected(), IncrementalSyncTest.numbers(harness.drain(SyncHarness.QUEUES.get(SUBJECT))), "queue " + SUBJECT);
    }

    List<BytesMessage> quarantine() throws Exception {
        return harness.drain("ksef.invoices.invalid", BytesMessage.class);
    }

    Optional<OffsetDateTime> continuationPoint() {
        return ((ContinuationPoints) app.context().getRegistry().lookupByName("ksefContinuationPoints")).stored(app.property("ksef.nip"), SUBJECT);
    }

    /** The results of the export rows, oldest first. */
    List<String> exportResults() throws Exception {
        return column("SELECT result FROM export_run ORDER BY started_at, reference_number");
    }

    List<String> column(String sql) throws Exception {
        DataSource dataSource = app.context().getRegistry().lookupByNameAndType("ksefDataSource", DataSource.class);
        List<String> values = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement(); ResultSet r = s.executeQuery(sql)) {
            while (r.next()) {
                values.add(r.getString(1));
            }
        }
        return values;
    }

    List<Call> calls(Endpoint endpoint) {
        return simulator.calls(endpoint);
    }

    @Override
    public void close() {
        app.close();
        simulator.close();
    }
}
