package dev.ksef.sync.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ksef.sync.FreePort;
import dev.ksef.sync.app.Broker;
import dev.ksef.sync.simulator.Endpoint;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An external broker that is down while a package is to be published: the run fails cleanly (nothing marked done,
 * continuation point unchanged, the export kept for resumption); once the broker is back, the next run resumes the
 * same export and delivers every invoice exactly once.
 */
class BrokerOutageTest {

    @TempDir
    Path dataDir;

    @Test
    void aRunWhileTheBrokerIsDownFailsCleanlyAndTheNextOneDelivers() throws Exception {
        int port = FreePort.next();
        Path brokerDir = dataDir.resolve("external-broker");
        Broker broker = new Broker("", "sync", "outage test password", brokerDir, port);
        broker.start();
        try (FaultFixture f = FaultFixture.start(dataDir.resolve("sync"), FaultFixture.smallParts(),
                Map.of("ksef.jms.broker-url", "tcp://127.0.0.1:" + port, "ksef.jms.user", "sync", "ksef.jms.password", "outage test password"))) {
            broker.stop();
            assertThrows(Exception.class, f::run);
            assertTrue(f.continuationPoint().isEmpty(), "continuation point unchanged");
            assertEquals(List.of("RUNNING"), f.exportResults(), "the export is kept for the next run");
            assertEquals(List.of("0"), f.column("SELECT COUNT(*) FROM CAMEL_MESSAGEPROCESSED"), "nothing marked as delivered");

            broker = new Broker("", "sync", "outage test password", brokerDir, port);
            broker.start();
            f.run();
            f.assertAllDeliveredOnce();
            assertEquals(1, f.calls(Endpoint.EXPORT_START).size(), "resumed");
            assertEquals(List.of("DONE"), f.exportResults());
        } finally {
            broker.stop();
        }
    }
}
