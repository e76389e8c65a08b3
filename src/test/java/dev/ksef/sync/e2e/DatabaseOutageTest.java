package dev.ksef.sync.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.awaitility.Awaitility.await;

import dev.ksef.sync.simulator.Endpoint;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The PostgreSQL store goes away in the middle of a run (every connection dropped, new ones refused) and comes back:
 * the run fails cleanly with nothing marked done, and the next run delivers every invoice exactly once.
 */
class DatabaseOutageTest {

    private static final String SCHEMA = "ksef_outage_test";

    @TempDir
    Path dataDir;

    @Test
    void aRunWhileTheDatabaseIsDownFailsCleanlyAndTheNextOneDelivers() throws Exception {
        try (Connection c = DriverManager.getConnection(PostgresIncrementalSyncTest.URL, PostgresIncrementalSyncTest.USER, null);
             Statement s = c.createStatement()) {
            s.execute("DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE");
            s.execute("CREATE SCHEMA " + SCHEMA);
        }
        java.net.URI pg = java.net.URI.create(PostgresIncrementalSyncTest.URL.substring("jdbc:".length()));
        try (TcpProxy proxy = new TcpProxy(pg.getPort());
             FaultFixture f = FaultFixture.start(dataDir, FaultFixture.smallParts(), Map.of(
                     "ksef.db.url", "jdbc:postgresql://127.0.0.1:" + proxy.port() + pg.getPath() + "?currentSchema=" + SCHEMA,
                     "ksef.db.user", PostgresIncrementalSyncTest.USER, "ksef.db.connection-timeout-ms", "1500"))) {
            f.simulator.inject(Endpoint.PART_DOWNLOAD, dev.ksef.sync.simulator.Fault.slow(1_000), 1);
            Thread cutter = new Thread(() -> {
                try {
                    while (f.simulator.calls(Endpoint.EXPORT_STATUS).isEmpty()) {
                        Thread.onSpinWait();
                    }
                    proxy.cut(); // the export is stored; the package is being downloaded
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            cutter.start();
            assertThrows(Exception.class, f::run);
            cutter.join();
            assertEquals(List.of(), f.harness.drain(SyncHarness.QUEUES.get(FaultFixture.SUBJECT)), "nothing published");

            proxy.restore();
            // the pool reconnects on its own once the database answers again
            await().atMost(Duration.ofSeconds(20)).ignoreExceptions().until(() -> f.continuationPoint().isEmpty());
            f.run();
            f.assertAllDeliveredOnce();
            assertEquals(1, f.calls(Endpoint.EXPORT_START).size(), "the stored export was resumed");
            assertEquals(List.of("DONE"), f.exportResults());
        }
    }
}
