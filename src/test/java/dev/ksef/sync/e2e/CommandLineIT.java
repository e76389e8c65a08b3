package dev.ksef.sync.e2e;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
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

/**
 * The built jar as a process: {@code --once} syncs and exits 0, {@code invoice get} and {@code reconcile} work from the
 * jar, {@code status --json} reports the sync and the reconciliation; a bad URL exits non-zero.
 */
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
                assertTrue(once.out().lines().anyMatch(l -> l.startsWith(simulator.nip() + " " + subjectType + " ") && l.contains(" OK ")), once.out());
            }
            assertFalse(once.out().contains(simulator.ksefToken()), "the token is never printed");

            // the other download operations from the jar: one invoice by number, one reconciliation of every subject type
            var invoice = simulator.corpus().all().get(0);
            Run get = run(env, "invoice", "get", invoice.ksefNumber(), "--out", "invoice.xml");
            assertEquals(0, get.exit(), get.out());
            assertArrayEquals(invoice.xml(), java.nio.file.Files.readAllBytes(workDir.resolve("invoice.xml")));
            Run reconcile = run(env, "reconcile", "--days", "5");
            assertEquals(0, reconcile.exit(), reconcile.out());
            assertEquals(4, reconcile.out().lines().filter(l -> l.startsWith(simulator.nip() + " ") && l.contains(": reconciliation DONE for ")
                    && l.contains(" 0 not delivered,")).count(),
                    reconcile.out());

            Run status = run(env, "status", "--json");
            assertEquals(0, status.exit(), status.out());
            JsonNode json = KsefJson.mapper().readTree(status.out().substring(status.out().indexOf('{')));
            long total = 0;
            for (JsonNode row : json.get("subjectTypes")) {
                assertFalse(row.get("continuationPoint").isNull(), row.toString());
                assertEquals("DONE", row.at("/lastExport/result").asText());
                assertEquals("DONE", row.at("/lastReconciliation/result").asText(), row.toString());
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

    @Test
    void certificateSelfSignedThenOnceWithACertificateLogin() throws Exception {
        try (KsefSimulator simulator = new KsefSimulator(new SimulatorConfig().maxInvoicesPerPackage(50).partSize(20_000).unlimited()).start()) {
            OffsetDateTime now = simulator.clock().now();
            simulator.corpus().generate(60, now.minusDays(2), now.minusMinutes(5));
            List<String> password = List.of("KSEF_AUTH_KEY_PASSWORD=command-line test password");
            Run made = run(password, "certificate", "self-signed", "--nip", simulator.nip(), "--type", "seal", "--key", "ec", "--out", "certs");
            assertEquals(0, made.exit(), made.out());
            Path p12 = workDir.resolve("certs").resolve("ksef-seal-" + simulator.nip() + ".p12");
            assertTrue(made.out().contains("ksef.auth.certificate = " + p12.toAbsolutePath()), made.out());
            assertFalse(made.out().contains("command-line test password"), "a password from the environment is not printed");

            List<String> env = new java.util.ArrayList<>(List.of("KSEF_BASE_URL=" + simulator.baseUrl(), "KSEF_NIP=" + simulator.nip(),
                    "KSEF_AUTH_CERTIFICATE=" + p12, "KSEF_AUTH_VERIFY_CERTIFICATE_CHAIN=false",
                    "KSEF_DATA_DIR=" + workDir.resolve("data"), "KSEF_SYNC_INITIAL_FROM=" + now.minusDays(3),
                    "KSEF_JMS_EMBEDDED_PORT=" + FreePort.next(), "KSEF_EXPORT_POLL_INTERVAL_MS=50", "KSEF_AUTH_POLL_INTERVAL_MS=50"));
            env.addAll(password);
            Run once = run(env, "--once");
            assertEquals(0, once.exit(), once.out());
            assertEquals(4, once.out().lines().filter(l -> l.contains(" OK ")).count(), once.out());
            assertEquals(1, simulator.calls(dev.ksef.sync.simulator.Endpoint.XADES_SIGNATURE).size(), "logged in with the certificate");

            // each startup mistake: one line naming the setting, exit code 2, no stack trace, nothing started
            assertStartupError(with(env, "KSEF_AUTH_KEY_PASSWORD=wrong"), "ksef.auth.key-password does not open");
            assertStartupError(with(env, "KSEF_AUTH_CERTIFICATE=" + workDir.resolve("certs/missing.p12")), "does not exist");
            Path crt = workDir.resolve("certs").resolve("ksef-seal-" + simulator.nip() + ".crt");
            assertStartupError(with(env, "KSEF_AUTH_CERTIFICATE=" + crt), "ksef.auth.private-key must be set");
            assertStartupError(with(env, "KSEF_AUTH_SUBJECT_IDENTIFIER=nip"), "ksef.auth.subject-identifier must be");
        }
    }

    @Test
    void aConfigurationMistakeIsOneLineWithExitCode2AndNothingOnDisk() throws Exception {
        List<String> valid = List.of("KSEF_NIP=5265877635", "KSEF_TOKEN=command-line test token");
        assertNoTrace(with(valid, "KSEF_NIP=5265877636"), "ksef.nip must be a NIP (ten digits with a valid checksum), not '5265877636'");
        assertNoTrace(List.of("KSEF_TOKEN=command-line test token"), "ksef.nip is not set: give the company's NIP, ten digits (KSEF_NIP=");
        assertNoTrace(with(valid, "KSEF_BASE_URL=http://api-test.ksef.mf.gov.pl/v2"), "ksef.base-url must be https://");
        assertNoTrace(with(valid, "KSEF_SUBJECT_TYPES=Subject1,Buyer"), "ksef.subject-types names an unknown subject type 'Buyer': use a "
                + "comma list of Subject1, Subject2, Subject3, SubjectAuthorized");
        assertNoTrace(with(valid, "KSEF_EXPORT_DEADLINE=2h"), "ksef.export.deadline must be an ISO-8601 duration such as PT2H");
        assertNoTrace(with(valid, "KSEF_SYNC_INITIAL_FROM=last month"), "ksef.sync.initial-from must be an ISO-8601 instant");
        assertNoTrace(with(valid, "KSEF_PUBLISH_BATCH_SIZE=500x"), "ksef.publish.batch-size must be a whole number from 1 to 2147483647, not '500x'");
        assertNoTrace(with(valid, "KSEF_RATE_INVOICEEXPORT=8/16"), "ksef.rate.invoiceExport must be calls per second/minute/hour such as 8/16/20");
        assertNoTrace(with(valid, "KSEF_JMS_EMBEDDED_PORT=port"), "ksef.jms.embedded-port must be a whole number from 1 to 65535");
        assertNoTrace(List.of("KSEF_NIP=5265877635"), "no KSeF credential");
        // the scheduler checks the same before it starts
        Run scheduled = run(with(valid, "KSEF_EXPORT_DEADLINE=2h"));
        assertEquals(2, scheduled.exit(), scheduled.out());
        assertTrue(scheduled.out().startsWith("ksef-camel-sync: ksef.export.deadline must be"), scheduled.out());
        assertFalse(java.nio.file.Files.exists(workDir.resolve("data")), "no data directory");
    }

    @Test
    void tenantAddThenListJson() throws Exception {
        String token = "20260101-EC-0123456789-ABCDEF0123|nip-5265877635|command-line-token-secret";
        java.nio.file.Files.writeString(workDir.resolve("client.token"), token + "\n");
        List<String> env = List.of("KSEF_DATA_DIR=" + workDir.resolve("data"), "KSEF_STORE_KEY=" + java.util.Base64.getEncoder().encodeToString(new byte[32]));
        Run added = run(env, "tenant", "add", "--nip", "5265877635", "--name", "Biuro", "--token-file", "client.token", "--subject-types", "Subject1,Subject2");
        assertEquals(0, added.exit(), added.out());
        Run list = run(env, "tenant", "list", "--json");
        assertEquals(0, list.exit(), list.out());
        JsonNode tenants = KsefJson.mapper().readTree(list.out());
        assertEquals(1, tenants.size(), list.out());
        assertEquals("5265877635", tenants.get(0).get("nip").asText());
        assertEquals("token", tenants.get(0).get("credential").asText());
        assertEquals("[\"Subject1\",\"Subject2\"]", tenants.get(0).get("subjectTypes").toString());
        assertFalse(added.out().contains("command-line-token-secret") || list.out().contains("command-line-token-secret"), "the token is never printed");

        Run unknown = run(env, "tenant", "disable", "--nip", "7010004380");
        assertEquals(2, unknown.exit(), unknown.out());
        assertEquals(List.of("ksef-camel-sync: tenant 7010004380 is unknown (tenant list shows the tenants)"), unknown.out().lines().toList());
    }

    /** A startup error as {@link #assertStartupError}, and nothing written: no data directory, database or broker journal. */
    private void assertNoTrace(List<String> env, String expected) throws Exception {
        assertStartupError(env, "ksef-camel-sync: " + expected);
        try (var files = java.nio.file.Files.list(workDir)) {
            assertEquals(List.of(), files.toList(), "nothing created in the working directory");
        }
    }

    private void assertStartupError(List<String> env, String expected) throws Exception {
        Run run = run(env, "--once");
        assertEquals(2, run.exit(), run.out());
        List<String> lines = run.out().lines().filter(l -> !l.isBlank()).toList();
        assertEquals(1, lines.size(), "one line: " + run.out());
        assertTrue(lines.get(0).contains(expected), run.out());
        assertFalse(run.out().contains("Exception") || run.out().contains("\tat "), "no stack trace: " + run.out());
    }

    /** {@code env} with one variable replaced or added. */
    private static List<String> with(List<String> env, String variable) {
        String name = variable.substring(0, variable.indexOf('=') + 1);
        List<String> out = new java.util.ArrayList<>(env.stream().filter(e -> !e.startsWith(name)).toList());
        out.add(variable);
        return out;
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
