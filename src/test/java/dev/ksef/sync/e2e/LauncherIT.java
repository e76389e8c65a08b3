package dev.ksef.sync.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ksef.sync.FreePort;
import dev.ksef.sync.simulator.KsefSimulator;
import dev.ksef.sync.simulator.SimulatorConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/ksef-camel-sync} as a user runs it from any directory: it finds the built jar and its class-data-sharing
 * archive (when the build made one, the JVM is told to insist on it: a mismatched archive would fail the run) and
 * passes the arguments and JAVA_OPTS through.
 */
class LauncherIT {

    @TempDir
    Path workDir;

    @Test
    void theLauncherRunsASyncWithTheArchive() throws Exception {
        try (KsefSimulator simulator = new KsefSimulator(new SimulatorConfig().maxInvoicesPerPackage(50).partSize(20_000).unlimited()).start()) {
            OffsetDateTime now = simulator.clock().now();
            simulator.corpus().generate(60, now.minusDays(2), now.minusMinutes(5));
            boolean archive = Files.exists(Path.of("target/ksef-camel-sync.jsa"));
            ProcessBuilder builder = new ProcessBuilder(Path.of("bin/ksef-camel-sync").toAbsolutePath().toString(), "--once")
                    .directory(workDir.toFile()).redirectErrorStream(true);
            var env = builder.environment();
            env.put("JAVA_HOME", System.getProperty("java.home"));
            env.put("JAVA_OPTS", "-Xmx256m" + (archive ? " -Xshare:on" : ""));
            env.put("KSEF_BASE_URL", simulator.baseUrl());
            env.put("KSEF_NIP", simulator.nip());
            env.put("KSEF_TOKEN", simulator.ksefToken());
            env.put("KSEF_DATA_DIR", workDir.resolve("data").toString());
            env.put("KSEF_SUBJECT_TYPES", "Subject1");
            env.put("KSEF_SYNC_INITIAL_FROM", now.minusDays(3).toString());
            env.put("KSEF_JMS_EMBEDDED_PORT", Integer.toString(FreePort.next()));
            Process process = builder.start();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(process.waitFor(120, TimeUnit.SECONDS));
            assertEquals(0, process.exitValue(), out);
            assertTrue(out.lines().anyMatch(l -> l.startsWith(simulator.nip() + " Subject1 ") && l.contains(" OK ")), out);
            assertFalse(out.contains("[cds]") || out.contains("shared archive"), "nothing said about the archive: " + out);
        }
    }
}
