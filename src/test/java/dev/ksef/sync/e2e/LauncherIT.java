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

    @Test
    void aCommandThatEndsRunsWithTheClientCompilerAloneTheSchedulerWithBothAndJavaOptsDecidesWhenItNamesOne() throws Exception {
        assertEquals("1", tieredStopAtLevel("", "--once"), "--once");
        assertEquals("1", tieredStopAtLevel("-Xmx256m", "reconcile"), "reconcile");
        assertEquals("4", tieredStopAtLevel("", null), "the scheduler");
        assertEquals("4", tieredStopAtLevel("-XX:TieredStopAtLevel=4", "--once"), "JAVA_OPTS naming the compilers");
    }

    /** The JVM's TieredStopAtLevel as the launcher starts it for {@code command} (null: none), read from the JVM itself. */
    private String tieredStopAtLevel(String javaOpts, String command) throws Exception {
        java.util.List<String> line = new java.util.ArrayList<>(java.util.List.of(Path.of("bin/ksef-camel-sync").toAbsolutePath().toString()));
        if (command != null) {
            line.add(command);
        }
        ProcessBuilder builder = new ProcessBuilder(line).directory(workDir.toFile()).redirectErrorStream(true);
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        // the JVM prints its flags and stops before the application starts
        builder.environment().put("JAVA_OPTS", (javaOpts + " -XX:+PrintFlagsFinal -version").strip());
        Process process = builder.start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, process.exitValue(), out);
        return out.lines().filter(l -> l.matches("\\s*intx TieredStopAtLevel\\s+=.*")).map(l -> l.replaceAll(".*=\\s*(\\d+).*", "$1"))
                .findFirst().orElseThrow(() -> new AssertionError("no TieredStopAtLevel in " + out));
    }
}
