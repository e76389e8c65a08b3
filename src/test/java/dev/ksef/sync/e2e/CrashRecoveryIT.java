package dev.ksef.sync.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ksef.sync.FreePort;
import dev.ksef.sync.app.Broker;
import dev.ksef.sync.simulator.Endpoint;
import dev.ksef.sync.simulator.Fault;
import dev.ksef.sync.simulator.KsefSimulator;
import dev.ksef.sync.simulator.SimInvoice;
import dev.ksef.sync.simulator.SimulatorConfig;
import jakarta.jms.Connection;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Session;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The jar as a child JVM, killed with SIGKILL at points of one package (while the export is polled, while parts are
 * downloaded, while batches are published), then started again: every invoice ends up on its queue exactly once, and
 * the stored export is resumed rather than exported again. The broker lives in the test JVM, as an external broker
 * would, so it survives the kill with its duplicate-detection cache.
 */
class CrashRecoveryIT {

    private static final String QUEUE = "ksef.invoices.subject1";
    private static final String PASSWORD = "crash recovery broker password";

    @TempDir
    Path workDir;

    enum KillPoint { POLLING, DOWNLOADING, PUBLISHING }

    @Test
    void killedWhileTheExportIsPolled() throws Exception {
        crashAndRecover(KillPoint.POLLING);
    }

    @Test
    void killedWhilePartsAreDownloaded() throws Exception {
        crashAndRecover(KillPoint.DOWNLOADING);
    }

    @Test
    void killedWhileBatchesArePublished() throws Exception {
        crashAndRecover(KillPoint.PUBLISHING);
    }

    private void crashAndRecover(KillPoint point) throws Exception {
        SimulatorConfig config = new SimulatorConfig().unlimited().partSize(64_000).pollsBeforeReady(point == KillPoint.POLLING ? 12 : 1);
        int port = FreePort.next();
        Broker broker = new Broker("", "sync", PASSWORD, workDir.resolve("broker"), port);
        broker.start();
        try (KsefSimulator simulator = new KsefSimulator(config).start()) {
            OffsetDateTime now = simulator.clock().now();
            simulator.corpus().generate(2_000, now.minusDays(3), now.minusMinutes(5));
            Set<String> expected = new TreeSet<>();
            for (SimInvoice i : simulator.corpus().select("Subject1", now.minusDays(4), now)) {
                expected.add(i.ksefNumber());
            }
            if (point == KillPoint.DOWNLOADING) {
                simulator.inject(Endpoint.PART_DOWNLOAD, Fault.slow(150), 6);
            }
            List<String> env = List.of("KSEF_BASE_URL=" + simulator.baseUrl(), "KSEF_NIP=" + simulator.nip(), "KSEF_TOKEN=" + simulator.ksefToken(),
                    "KSEF_DATA_DIR=" + workDir.resolve("data"), "KSEF_SYNC_INITIAL_FROM=" + now.minusDays(4), "KSEF_SUBJECT_TYPES=Subject1",
                    "KSEF_JMS_BROKER_URL=tcp://127.0.0.1:" + port, "KSEF_JMS_USER=sync", "KSEF_JMS_PASSWORD=" + PASSWORD, "KSEF_EXPORT_POLL_INTERVAL_MS=50", "KSEF_EXPORT_POLLS_PER_DOUBLING=5", "KSEF_AUTH_POLL_INTERVAL_MS=50",
                    // small batches while publishing: the package takes seconds to go out, so the kill lands in the middle
                    "KSEF_PUBLISH_BATCH_SIZE=" + (point == KillPoint.PUBLISHING ? 2 : 10));

            Process first = start(env, "first");
            BooleanSupplier reached = switch (point) {
                case POLLING -> () -> simulator.calls(Endpoint.EXPORT_STATUS).size() >= 3;
                case DOWNLOADING -> () -> simulator.calls(Endpoint.PART_DOWNLOAD).size() >= 3;
                case PUBLISHING -> () -> broker.queueDepth(QUEUE) > 0;
            };
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
            while (!reached.getAsBoolean() && first.isAlive() && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            assertTrue(first.isAlive(), "the process was still working at the kill point " + point);
            first.destroyForcibly(); // SIGKILL
            first.waitFor(30, TimeUnit.SECONDS);
            long onQueueAtKill = broker.queueDepth(QUEUE);
            if (point == KillPoint.PUBLISHING) {
                assertTrue(onQueueAtKill > 0 && onQueueAtKill < expected.size(), "killed mid-package: " + onQueueAtKill);
            }

            Process second = start(env, "second");
            assertTrue(second.waitFor(120, TimeUnit.SECONDS), "the restarted run ends");
            assertEquals(0, second.exitValue(), Files.readString(workDir.resolve("second.log")));

            assertEquals(expected, drain(port), "every invoice exactly once after a kill while " + point);
            assertEquals(1, simulator.calls(Endpoint.EXPORT_START).size(), "the stored export was resumed, not exported again:\n"
                    + Files.readString(workDir.resolve("first.log")) + "\n----\n" + Files.readString(workDir.resolve("second.log")));
        } finally {
            broker.stop();
        }
    }

    private Process start(List<String> env, String name) throws Exception {
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m", "-jar",
                new File("target/ksef-camel-sync.jar").getAbsolutePath(), "--once");
        ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true)
                .redirectOutput(workDir.resolve(name + ".log").toFile());
        for (String e : env) {
            int eq = e.indexOf('=');
            builder.environment().put(e.substring(0, eq), e.substring(eq + 1));
        }
        return builder.start();
    }

    /** Everything on the queue, asserting no ksefNumber comes twice. */
    private static Set<String> drain(int port) throws Exception {
        Set<String> numbers = new TreeSet<>();
        List<String> twice = new ArrayList<>();
        var factory = new org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory("tcp://127.0.0.1:" + port, "sync", PASSWORD);
        try (Connection connection = factory.createConnection()) {
            connection.start();
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageConsumer consumer = session.createConsumer(session.createQueue(QUEUE));
            for (Message m; (m = consumer.receive(1_000)) != null; ) {
                if (!numbers.add(m.getStringProperty("ksefNumber"))) {
                    twice.add(m.getStringProperty("ksefNumber"));
                }
            }
        } finally {
            factory.close();
        }
        assertEquals(List.of(), twice, "no invoice twice on the queue");
        return numbers;
    }
}
