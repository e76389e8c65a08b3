package dev.ksef.sync.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ksef.sync.app.SyncApp;
import dev.ksef.sync.simulator.KsefSimulator;
import dev.ksef.sync.simulator.SimulatorConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bundle's own threads (read-ahead, decryption output, batch checks, key writer) are the host context's, and stop with
 * it; the application starts no scheduler it does not use.
 */
class BundleThreadsTest {

    private static final String CAMEL_THREAD = "Camel \\([^)]+\\) thread #\\d+ - ";

    @TempDir
    Path dataDir;

    @Test
    void theBundlesThreadsComeFromTheContextsThreadPoolManagerAndStopWithIt() throws Exception {
        SimulatorConfig config = new SimulatorConfig().maxInvoicesPerPackage(100).partSize(20_000).unlimited();
        try (KsefSimulator simulator = new KsefSimulator(config).start()) {
            OffsetDateTime now = simulator.clock().now();
            simulator.corpus().generate(150, now.minusDays(3), now.minusMinutes(5));
            SyncHarness harness = new SyncHarness(simulator, dataDir, Map.of("ksef.subject-types", "Subject1",
                    "ksef.package.check-threads", "3"));
            OffsetDateTime initialFrom = now.minusDays(4);
            try (SyncApp app = harness.start(initialFrom)) {
                app.runOnce("Subject1");
                Set<String> threads = liveThreads();
                for (String pool : List.of("ksef-package", "ksef-package-check", "ksef-delivered-keys")) {
                    assertTrue(threads.stream().anyMatch(t -> t.matches(CAMEL_THREAD + pool)), pool + " among " + threads);
                }
                // the application leaves out the host's reconciliation cron, and with it camel-quartz's own scheduler
                assertEquals(null, app.context().getRoute("ksef-reconcile-schedule"));
                assertEquals(null, app.context().hasComponent("quartz"), "no Quartz scheduler of camel-quartz started");
                assertEquals(harness.expected("Subject1", initialFrom, simulator.currentHwm()).size(),
                        harness.drain(SyncHarness.QUEUES.get("Subject1")).size(), "the run delivered everything");
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> liveThreads().stream().noneMatch(t -> t.matches(CAMEL_THREAD + "ksef-.*")));
        }
    }

    private static Set<String> liveThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName).collect(Collectors.toSet());
    }
}
