package dev.ksef.sync.app;

import dev.ksef.sync.simulator.KsefSimulator;
import dev.ksef.sync.simulator.SimulatorConfig;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * {@code java -XX:ArchiveClassesAtExit=ksef-camel-sync.jsa -jar ksef-camel-sync.jar cds-training}: the training run of
 * the class-data-sharing archive, made when the jar is packaged (and in the Docker image). It runs what a user's
 * {@code --once} runs, so the archive holds the classes a real start loads: settings checked, the bundle started,
 * a login, an export polled, a package downloaded, checked and published, once into the embedded broker and once over
 * TCP into a broker of its own (the first run's, standing in for an external one), all against the built-in
 * simulator on the loopback interface, under a temporary directory it deletes. It always exits 0: without an archive
 * the application starts as before, only slower.
 */
final class CdsTraining {

    private CdsTraining() {
    }

    static int run() {
        Path work = null;
        try {
            work = Files.createTempDirectory("ksef-cds-training");
            SimulatorConfig config = new SimulatorConfig().partSize(64 * 1024).pollsBeforeReady(1).hwmLag(Duration.ofSeconds(1));
            try (KsefSimulator simulator = new KsefSimulator(config).start()) {
                OffsetDateTime now = simulator.clock().now();
                simulator.corpus().generate(600, now.minusDays(2), now.minusMinutes(1));
                String password = Long.toHexString(new java.security.SecureRandom().nextLong());
                int port = freePort();
                Map<String, String> embedded = settings(simulator, work.resolve("embedded"), now);
                embedded.put("ksef.jms.user", "training");
                embedded.put("ksef.jms.password", password);
                embedded.put("ksef.jms.embedded-port", Integer.toString(port));
                Application.preflight(embedded);
                try (SyncApp first = SyncApp.start(embedded, false)) {
                    first.runOnce("Subject1");
                    Map<String, String> external = settings(simulator, work.resolve("external"), now);
                    external.put("ksef.jms.broker-url", "tcp://127.0.0.1:" + port);
                    external.put("ksef.jms.user", "training");
                    external.put("ksef.jms.password", password);
                    external.put("ksef.publish.Subject1", "jms:queue:ksef.cds-training");
                    Application.preflight(external);
                    try (SyncApp second = SyncApp.start(external, false)) {
                        second.runOnce("Subject1");
                    }
                }
            }
            System.out.println("cds-training: done");
        } catch (Exception | LinkageError e) {
            System.out.println("cds-training: stopped early (the archive holds what was loaded so far): " + e);
        } finally {
            delete(work);
        }
        return 0;
    }

    private static Map<String, String> settings(KsefSimulator simulator, Path dataDir, OffsetDateTime now) {
        Map<String, String> p = new HashMap<>();
        p.put("ksef.base-url", simulator.baseUrl());
        p.put("ksef.nip", simulator.nip());
        p.put("ksef.token", simulator.ksefToken());
        p.put("ksef.data-dir", dataDir.toString());
        p.put("ksef.subject-types", "Subject1");
        p.put("ksef.sync.initial-from", now.minusDays(3).toString());
        p.put("ksef.export.poll-interval-ms", "50");
        p.put("ksef.auth.poll-interval-ms", "50");
        return p;
    }

    private static int freePort() throws java.io.IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static void delete(Path dir) {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted((a, b) -> b.getNameCount() - a.getNameCount()).forEach(f -> f.toFile().delete());
        } catch (java.io.IOException e) {
            // a temporary directory left behind
        }
    }
}
