package dev.ksef.sync.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ksef.sync.FreePort;
import dev.ksef.sync.Nip;
import dev.ksef.sync.PostgresDatabase;
import dev.ksef.sync.app.Broker;
import dev.ksef.sync.auth.xades.SelfSignedCertificates;
import dev.ksef.sync.simulator.Endpoint;
import dev.ksef.sync.simulator.ExportRecord;
import dev.ksef.sync.simulator.Fault;
import dev.ksef.sync.simulator.KsefSimulator;
import dev.ksef.sync.simulator.SimInvoice;
import dev.ksef.sync.simulator.SimulatorConfig;
import jakarta.jms.Connection;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Session;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three nodes of the application on one PostgreSQL and one broker, syncing 50 client contexts of an accounting office
 * from a simulator, with one office certificate: every (NIP, subject type) exactly once on its queue; no two exports of
 * a (NIP, subject type) in use at once (the simulator's record); a node killed with SIGKILL while it downloads, whose
 * stored exports another node resumes; a node paused past its check-in (SIGSTOP) and resumed; a tenant added and one
 * removed while the cluster runs; no context over its limits; an invoice between two clients delivered to each.
 */
class ClusterIT {

    private static final String PASSWORD = "cluster broker password";
    private static final String KEY_PASSWORD = "cluster office key password";
    private static final List<String> SUBJECT_TYPES = List.of("Subject1", "Subject2", "Subject3", "SubjectAuthorized");
    private static final Map<String, String> QUEUES = Map.of("Subject1", "ksef.invoices.subject1", "Subject2", "ksef.invoices.subject2",
            "Subject3", "ksef.invoices.subject3", "SubjectAuthorized", "ksef.invoices.subject-authorized");

    @TempDir
    Path workDir;

    private final Map<String, Integer> received = new ConcurrentHashMap<>();
    private final List<Process> nodes = new ArrayList<>();

    @Test
    void threeNodesSyncEveryTenantOnceThroughAKillAPauseAndTenantChanges() throws Exception {
        String office = firstNip(7_700_000_000L);
        int brokerPort = FreePort.next();
        Broker broker = new Broker("", "sync", PASSWORD, workDir.resolve("broker"), brokerPort);
        broker.start();
        SimulatorConfig config = new SimulatorConfig().generatedContexts(51).invoicesPerContext(4).invoiceSpan(Duration.ofDays(2))
                .partSize(2_000).pollsBeforeReady(1).limits("invoiceExport", 8, 16, 120);
        AtomicBoolean consuming = new AtomicBoolean(true);
        Thread consumer = new Thread(() -> consume(brokerPort, consuming), "cluster-consumer");
        try (PostgresDatabase db = PostgresDatabase.create("ksef_cluster"); KsefSimulator simulator = new KsefSimulator(config).start()) {
            OffsetDateTime now = simulator.clock().now();
            List<String> nips = simulator.nips();
            List<String> tenants = nips.subList(0, 50);
            String added = nips.get(50);
            String removed = tenants.get(49);
            simulator.grantInvoiceReadEverywhere(office);
            SimInvoice shared = simulator.addInvoiceBetween(tenants.get(0), tenants.get(1), now.minusHours(1));

            var seal = SelfSignedCertificates.create(office, SelfSignedCertificates.Type.SEAL, SelfSignedCertificates.KeyKind.EC,
                    Instant.now().minus(Duration.ofDays(1)), Instant.now().plus(Duration.ofDays(90)));
            var files = SelfSignedCertificates.write(seal, workDir.resolve("certs"), "office", KEY_PASSWORD.toCharArray());
            Map<String, String> env = new HashMap<>();
            env.put("KSEF_BASE_URL", simulator.baseUrl());
            env.put("KSEF_DB_URL", db.url());
            env.put("KSEF_DB_USER", PostgresDatabase.USER);
            env.put("KSEF_AUTH_CERTIFICATE", files.keystore().toString());
            env.put("KSEF_AUTH_KEY_PASSWORD", KEY_PASSWORD);
            env.put("KSEF_AUTH_VERIFY_CERTIFICATE_CHAIN", "false");
            env.put("KSEF_STORE_KEY", Base64.getEncoder().encodeToString(new byte[32]));
            env.put("KSEF_JMS_BROKER_URL", "tcp://127.0.0.1:" + brokerPort);
            env.put("KSEF_JMS_USER", "sync");
            env.put("KSEF_JMS_PASSWORD", PASSWORD);
            env.put("KSEF_SYNC_INITIAL_FROM", now.minusDays(3).toString());
            for (String subjectType : SUBJECT_TYPES) {
                env.put("KSEF_SYNC_" + subjectType.toUpperCase() + "_CRON", "0/15 * * * * ?");
            }
            env.put("KSEF_SCHEDULER_MAX_CONCURRENT_RUNS", "4");
            env.put("KSEF_SCHEDULER_REFRESH_INTERVAL", "PT5S");
            env.put("KSEF_SCHEDULER_CLUSTER_CHECKIN_INTERVAL_MS", "2000");
            env.put("KSEF_EXPORT_POLL_INTERVAL_MS", "200");
            env.put("KSEF_AUTH_POLL_INTERVAL_MS", "100");
            env.put("KSEF_RATE_INVOICEEXPORT", "8/16/120");
            env.put("KSEF_PUBLISH_BATCH_SIZE", "2");

            // onboarding: the office's clients in one import
            StringBuilder csv = new StringBuilder("nip,name,certificate\n");
            tenants.forEach(nip -> csv.append(nip).append(",Client ").append(nip).append(",true\n"));
            Files.writeString(workDir.resolve("tenants.csv"), csv);
            assertEquals(0, command(env, "import", "tenant", "import", workDir.resolve("tenants.csv").toString()));

            consumer.start();
            for (int n = 1; n <= 3; n++) {
                nodes.add(node(env, "node-" + n));
            }

            // node-1 killed while it downloads the parts of stored exports (slow parts keep it there)
            simulator.inject(Endpoint.PART_DOWNLOAD, Fault.slow(1_500), 40);
            await(Duration.ofSeconds(90), () -> !runningExports(db, "node-1").isEmpty(), "node-1 downloads a package");
            List<String> interrupted = runningExports(db, "node-1");
            nodes.get(0).destroyForcibly(); // SIGKILL
            nodes.get(0).waitFor(30, TimeUnit.SECONDS);
            Instant killed = Instant.now();

            // node-2 paused until the others take it for dead (its check-in older than 2 s plus Quartz's 7.5 s margin), then resumed
            signal(nodes.get(1), "STOP");
            await(Duration.ofSeconds(60), () -> checkInAge(db, "node-2") > 12_000, "node-2 missed its check-ins");
            signal(nodes.get(1), "CONT");

            // a client joins and another leaves while the cluster runs
            assertEquals(0, command(env, "add", "tenant", "add", "--nip", added, "--name", "Newcomer", "--certificate"));
            assertEquals(0, command(env, "remove", "tenant", "remove", "--nip", removed));
            Instant removedAt = Instant.now();

            List<String> synced = new ArrayList<>(tenants.subList(0, 49));
            synced.add(added);
            Map<String, Set<String>> expected = new HashMap<>();
            for (String nip : synced) {
                for (String subjectType : SUBJECT_TYPES) {
                    Set<String> numbers = new TreeSet<>();
                    simulator.invoices(nip, subjectType).forEach(i -> numbers.add(i.ksefNumber()));
                    expected.put(nip + ":" + subjectType, numbers);
                }
            }
            await(Duration.ofSeconds(180), () -> expected.entrySet().stream().allMatch(e -> e.getValue().stream()
                    .allMatch(n -> received.containsKey(e.getKey() + ":" + n))), "every (NIP, subject type) delivered");
            consuming.set(false);
            consumer.join(10_000);

            List<String> twice = received.entrySet().stream().filter(e -> e.getValue() > 1).map(Map.Entry::getKey).toList();
            assertEquals(List.of(), twice, "no invoice twice");
            for (String nip : synced) {
                for (String subjectType : SUBJECT_TYPES) {
                    Set<String> got = new TreeSet<>();
                    String prefix = nip + ":" + subjectType + ":";
                    received.keySet().stream().filter(k -> k.startsWith(prefix)).forEach(k -> got.add(k.substring(prefix.length())));
                    assertEquals(expected.get(nip + ":" + subjectType), got, nip + " " + subjectType + " exactly what KSeF holds");
                }
            }
            assertTrue(received.containsKey(tenants.get(0) + ":Subject1:" + shared.ksefNumber()), "the seller's copy");
            assertTrue(received.containsKey(tenants.get(1) + ":Subject2:" + shared.ksefNumber()), "the buyer's copy");

            assertEquals(List.of(), simulator.overlappingExports(), "no two exports of a (NIP, subject type) in use at once");
            assertEquals(0, simulator.calls().stream().filter(c -> c.status() == 429).count(), "no context over its limits");
            for (String nip : nips) {
                List<ExportRecord> exports = simulator.exports(nip);
                for (ExportRecord e : exports) {
                    long inAMinute = exports.stream().filter(o -> !o.acceptedAt().isBefore(e.acceptedAt())
                            && o.acceptedAt().isBefore(e.acceptedAt().plusSeconds(60))).count();
                    assertTrue(inAMinute <= 16, nip + ": " + inAMinute + " exports within a minute");
                }
            }
            for (String reference : interrupted) {
                Map<String, String> row = exportRow(db, reference);
                assertEquals("DONE", row.get("result"), "the killed node's export " + reference + " was resumed and delivered: " + row);
                assertTrue(Duration.between(killed, Instant.parse(row.get("finished"))).toSeconds() < 60, "resumed within a minute: " + row);
            }
            Instant lastStart = simulator.exports(removed).stream().map(ExportRecord::acceptedAt).max(Instant::compareTo).orElse(Instant.MIN);
            assertTrue(lastStart.isBefore(removedAt.plusSeconds(30)), "no export of a removed tenant after it was applied: " + lastStart);
            assertEquals(200, count(db, "SELECT COUNT(*) FROM qrtz_job_details WHERE job_group = 'ksef-sync'"), "one job per (NIP, subject type)");
            assertEquals(50, count(db, "SELECT COUNT(*) FROM qrtz_job_details WHERE job_group = 'ksef-reconcile'"), "one nightly reconciliation per NIP");
        } finally {
            consuming.set(false);
            nodes.forEach(Process::destroyForcibly);
            for (Process p : nodes) {
                p.waitFor(30, TimeUnit.SECONDS);
            }
            broker.stop();
            keepLogs();
        }
    }

    /** The nodes' logs under target/cluster-it, to read after a failure. */
    private void keepLogs() throws java.io.IOException {
        Path kept = Path.of("target", "cluster-it");
        Files.createDirectories(kept);
        try (var logs = Files.list(workDir)) {
            for (Path log : logs.filter(p -> p.toString().endsWith(".log")).toList()) {
                Files.copy(log, kept.resolve(log.getFileName()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }

    /** Everything the queues receive, counted by {@code <nip>:<subjectType>:<ksefNumber>}. */
    private void consume(int port, AtomicBoolean consuming) {
        var factory = new org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory("tcp://127.0.0.1:" + port, "sync", PASSWORD);
        try (Connection connection = factory.createConnection()) {
            connection.start();
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            List<MessageConsumer> consumers = new ArrayList<>();
            for (String queue : QUEUES.values()) {
                consumers.add(session.createConsumer(session.createQueue(queue)));
            }
            while (consuming.get()) {
                for (MessageConsumer c : consumers) {
                    for (Message m; (m = c.receive(50)) != null; ) {
                        received.merge(m.getStringProperty("ksefContextNip") + ":" + m.getStringProperty("ksefSubjectType") + ":"
                                + m.getStringProperty("ksefNumber"), 1, Integer::sum);
                    }
                }
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        } finally {
            factory.close();
        }
    }

    private Process node(Map<String, String> env, String name) throws Exception {
        Map<String, String> own = new HashMap<>(env);
        own.put("KSEF_SCHEDULER_INSTANCE_ID", name);
        own.put("KSEF_DATA_DIR", workDir.resolve(name).toString());
        return start(own, name, List.of("-Xmx192m", "-Dcamel.management.port=" + FreePort.next()), List.of());
    }

    private int command(Map<String, String> env, String log, String... args) throws Exception {
        Process p = start(env, log, List.of("-Xmx128m"), List.of(args));
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), log);
        if (p.exitValue() != 0) {
            System.out.println(Files.readString(workDir.resolve(log + ".log")));
        }
        return p.exitValue();
    }

    private Process start(Map<String, String> env, String log, List<String> jvm, List<String> args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(jvm);
        command.addAll(List.of("-jar", new File("target/ksef-camel-sync.jar").getAbsolutePath()));
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true)
                .redirectOutput(workDir.resolve(log + ".log").toFile());
        builder.environment().putAll(env);
        return builder.start();
    }

    private static void signal(Process process, String signal) throws Exception {
        assertEquals(0, new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).start().waitFor());
    }

    private static List<String> runningExports(PostgresDatabase db, String node) {
        List<String> references = new ArrayList<>();
        try (var c = db.dataSource().getConnection(); Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT reference_number FROM export_run WHERE result = 'RUNNING' AND run_node = '" + node + "'")) {
            while (r.next()) {
                references.add(r.getString(1));
            }
        } catch (Exception e) {
            // the schema may not be there yet
        }
        return references;
    }

    private static Map<String, String> exportRow(PostgresDatabase db, String reference) throws Exception {
        try (var c = db.dataSource().getConnection(); Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT result, finished_at FROM export_run WHERE reference_number = '" + reference + "'")) {
            r.next();
            OffsetDateTime finished = r.getObject(2, OffsetDateTime.class);
            return Map.of("result", r.getString(1), "finished", finished == null ? Instant.MAX.toString() : finished.toInstant().toString());
        }
    }

    /**
     * Milliseconds since the node last checked in to the cluster; unbounded once the others removed its record (they
     * took it for dead and recovered its jobs).
     */
    private static long checkInAge(PostgresDatabase db, String node) {
        try (var c = db.dataSource().getConnection(); Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT last_checkin_time FROM qrtz_scheduler_state WHERE instance_name = '" + node + "'")) {
            return r.next() ? System.currentTimeMillis() - r.getLong(1) : Long.MAX_VALUE;
        } catch (Exception e) {
            return 0;
        }
    }

    private static long count(PostgresDatabase db, String sql) throws Exception {
        try (var c = db.dataSource().getConnection(); Statement s = c.createStatement(); ResultSet r = s.executeQuery(sql)) {
            r.next();
            return r.getLong(1);
        }
    }

    private static void await(Duration atMost, BooleanSupplier condition, String what) {
        Awaitility.await(what).atMost(atMost).pollInterval(Duration.ofMillis(200)).until(condition::getAsBoolean);
    }

    private static String firstNip(long from) {
        for (long n = from; ; n++) {
            if (Nip.isValid(Long.toString(n))) {
                return Long.toString(n);
            }
        }
    }
}
