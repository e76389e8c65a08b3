package dev.ksef.sync.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ksef.sync.FreePort;
import dev.ksef.sync.api.KsefJson;
import dev.ksef.sync.simulator.KsefSimulator;
import dev.ksef.sync.simulator.SimulatorConfig;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The built jar as a process: {@code --once} syncs and exits 0, {@code status --json} reports it; a bad URL exits non-zero. */
class CommandLineIT {

    @TempDir
    Path workDir;

    record Run(int exit, String out) {
    }

    @Test
    void onceThenStatusJson() throws Exception {
        try (KsefSimulator simulator = new KsefSimulator(new SimulatorConfig().maxInvoicesPerPackage(50).partSize(20_000).unlimited()).start()) {
            OffsetDateTime now = simulator.clock().now();
            simulator.corpus().generate(150, now.minusDays(3), now.minusMinutes(5));
            int port = FreePort.next();
            List<String> env = List.of("KSEF_BASE_URL=" + simulator.baseUrl(), "KSEF_NIP=" + simulator.nip(), "KSEF_TOKEN=" + simulator.ksefToken(),
                    "KSEF_DATA_DIR=" + workDir.resolve("data"), "KSEF_SYNC_INITIAL_FROM=" + now.minusDays(4),
                    "KSEF_JMS_EMBEDDED_PORT=" + port, "KSEF_EXPORT_POLL_INTERVAL_MS=50", "KSEF_AUTH_POLL_INTERVAL_MS=50");
            Run once = run(env, "--once");
            assertEquals(0, once.exit(), once.out());
            for (String subjectType : List.of("Subject1", "Subject2", "Subject3", "SubjectAuthorized")) {
                assertTrue(once.out().lines().anyMatch(l -> l.startsWith(subjectType) && l.contains("OK")), once.out());
            }
            assertFalse(once.out().contains(simulator.ksefToken()), "the token is never printed");

            Run status = run(env, "status", "--json");
            assertEquals(0, status.exit(), status.out());
            JsonNode json = KsefJson.mapper().readTree(status.out().substring(status.out().indexOf('{')));
            long total = 0;
            for (JsonNode row : json.get("subjectTypes")) {
                assertFalse(row.get("continuationPoint").isNull(), row.toString());
                assertEquals("DONE", row.at("/lastExport/result").asText());
                total += row.get("publishedTotal").asLong();
            }
            long expected = simulator.corpus().all().stream().mapToLong(i -> i.subjectTypes().size()).sum();
            assertEquals(expected, total);

            List<String> broken = new java.util.ArrayList<>(env);
            broken.set(0, "KSEF_BASE_URL=http://127.0.0.1:9/v2");
            broken.set(3, "KSEF_DATA_DIR=" + workDir.resolve("data2"));
            broken.add("KSEF_RETRY_MAX_REDELIVERIES=1");
            broken.add("KSEF_RETRY_INITIAL_DELAY_MS=100");
            Run failed = run(broken, "--once");
            assertTrue(failed.exit() != 0, failed.out());
        }
    }

    private Run run(List<String> env, String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-jar", new File("target/ksef-camel-sync.jar").getAbsolutePath()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true);
        for (String e : env) {
            int eq = e.indexOf('=');
            builder.environment().put(e.substring(0, eq), e.substring(eq + 1));
        }
        Process process = builder.start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(120, TimeUnit.SECONDS));
        return new Run(process.exitValue(), out);
    }
}
