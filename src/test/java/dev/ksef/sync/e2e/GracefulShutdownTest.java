package dev.ksef.sync.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ksef.sync.simulator.Endpoint;
import dev.ksef.sync.simulator.Fault;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bundle is stopped while a package is being downloaded and the shutdown timeout is too short for it: the package
 * is abandoned without marking anything it did not publish, and after a restart the export is resumed and every
 * invoice delivered exactly once.
 */
class GracefulShutdownTest {

    @TempDir
    Path dataDir;

    @Test
    void aShutdownInTheMiddleOfAPackageMarksNothingItDidNotPublish() throws Exception {
        try (FaultFixture f = FaultFixture.start(dataDir, FaultFixture.smallParts(), Map.of("camel.main.shutdown-timeout", "1"))) {
            f.simulator.inject(Endpoint.PART_DOWNLOAD, Fault.slow(700), 4);
            AtomicReference<Throwable> outcome = new AtomicReference<>();
            Thread run = new Thread(() -> {
                try {
                    f.run();
                    outcome.set(new AssertionError("the run finished before the shutdown"));
                } catch (Throwable t) {
                    outcome.set(t);
                }
            });
            run.start();
            while (f.simulator.calls(Endpoint.PART_DOWNLOAD).isEmpty()) {
                Thread.onSpinWait();
            }
            f.app.close();
            run.join();
            assertNotNull(outcome.get());
            assertTrue(!(outcome.get() instanceof AssertionError), "the run was cut off by the shutdown");

            f.restart();
            assertTrue(f.continuationPoint().isEmpty(), "continuation point unchanged by the cut-off run");
            f.run();
            f.assertAllDeliveredOnce();
            assertEquals(1, f.calls(Endpoint.EXPORT_START).size(), "the stored export was resumed");
        }
    }
}
