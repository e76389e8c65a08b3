package dev.ksef.sync.bench;

import dev.ksef.sync.auth.xades.SelfSignedCertificates;
import dev.ksef.sync.simulator.KsefSimulator;
import dev.ksef.sync.simulator.SimulatorConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code bench tenants}: one node as users run it ({@code java -Xmx512m -jar ksef-camel-sync.jar}, scheduled mode, on a
 * fresh PostgreSQL database, embedded broker) against the simulator in this JVM serving one context per tenant, each
 * with a few invoices and a trickle of new ones between tenants. After a warm-up (every job's first fire, with its login
 * and first sync), a measured window: exports completed per hour, CPU-seconds and heap allocated per export, average
 * cores, heap peaks (from the node's GC log) and RSS, scheduler delay p50/p99 and misfires (the node's metrics), the
 * simulator's 429s, the CPU of PostgreSQL's backends and of the simulator.
 *
 * <p>{@code --compress K} (1, 3, 5 or 15; default 15) runs the same fire rate in a K-times shorter period: N/K tenants
 * whose Subject1 and Subject2 fire every 15/K minutes, with KSeF's hourly limits, the access token's lifetime and the
 * refresh margin scaled by K on both sides, so every tenant still sees the calls and limits of its real schedule.
 * {@code --compress 1} runs the full N tenants every 15 minutes (a warm-up of 16 minutes, then the window).
 */
final class TenantsRun {

    private static final List<String> SUBJECT_TYPES = List.of("Subject1", "Subject2", "Subject3", "SubjectAuthorized");

    private TenantsRun() {
    }

    static void main(Map<String, String> o) throws Exception {
        int tenants = Integer.parseInt(o.getOrDefault("--tenants", "2000"));
        int compress = Integer.parseInt(o.getOrDefault("--compress", "15"));
        if (15 % compress != 0) {
            throw new IllegalArgumentException("--compress must be 1, 3, 5 or 15 (the 15-minute period in whole minutes)");
        }
        int step = 15 / compress;
        int contexts = Math.max(2, Math.round(tenants / (float) compress));
        double minutes = Double.parseDouble(o.getOrDefault("--minutes", Integer.toString(Math.max(5, 3 * step))));
        double warmup = Double.parseDouble(o.getOrDefault("--warmup-minutes", Integer.toString(step + 1)));
        boolean certificate = !o.getOrDefault("--credential", "certificate").equals("token");
        String heap = o.getOrDefault("--heap", "512m");
        int newPerHour = Integer.parseInt(o.getOrDefault("--new-invoices-per-hour", Integer.toString(tenants)));
        String pgUrl = o.getOrDefault("--pg-url", "jdbc:postgresql://127.0.0.1:5432/test");
        String pgUser = o.getOrDefault("--pg-user", "postgres");
        Path work = Path.of(o.getOrDefault("--work", "data/bench-tenants")).toAbsolutePath();
        Path jar = Path.of(o.getOrDefault("--jar", jarOfThisProcess())).toAbsolutePath();
        Bench.delete(work);
        Files.createDirectories(work.resolve("node"));

        System.out.printf("tenants: %d simulated contexts (%d tenants compressed %dx: Subject1/Subject2 every %d min, Subject3/SubjectAuthorized "
                        + "nightly; KSeF's hourly limits x%d, access token %ds), %s login, -Xmx%s, warm-up %.1f min, window %.1f min%n",
                contexts, tenants, compress, step, compress, 900 / compress, certificate ? "office certificate" : "KSeF token", heap, warmup, minutes);

        SimulatorConfig config = new SimulatorConfig().generatedContexts(contexts).invoicesPerContext(
                        Integer.parseInt(o.getOrDefault("--invoices-per-tenant", "3")))
                .accessTokenTtl(Duration.ofSeconds(900 / compress))
                .limits("invoiceExport", 8, 16, 20 * compress).limits("invoiceExportStatus", 10, 60, 600 * compress)
                .limits("invoiceDownload", 8, 16, 64 * compress).limits("invoiceMetadata", 8, 16, 20 * compress)
                .limits("other", 10, 30, 120 * compress);
        String database = "ksef_bench_" + Long.toHexString(new SecureRandom().nextLong() >>> 8);
        String dbUrl = pgUrl.substring(0, pgUrl.lastIndexOf('/') + 1) + database;
        try (KsefSimulator simulator = new KsefSimulator(config).start(); Connection admin = DriverManager.getConnection(pgUrl, pgUser, null)) {
            try (Statement s = admin.createStatement()) {
                s.execute("CREATE DATABASE " + database);
            }
            Process node = null;
            try {
                String office = simulator.nip();
                simulator.grantInvoiceReadEverywhere(office);
                String storeKey = Base64.getEncoder().encodeToString(new SecureRandom().generateSeed(32));
                String password = Base64.getEncoder().encodeToString(new SecureRandom().generateSeed(12));
                long imported = System.nanoTime();
                TenantsSetup.importTenants(dbUrl, pgUser, work, simulator, storeKey, certificate, SUBJECT_TYPES);
                System.out.printf("%d tenants imported in %d ms%n", simulator.nips().size(), (System.nanoTime() - imported) / 1_000_000);

                Map<String, String> settings = new LinkedHashMap<>();
                settings.put("ksef.base-url", simulator.baseUrl());
                settings.put("ksef.db.url", dbUrl);
                settings.put("ksef.db.user", pgUser);
                settings.put("ksef.data-dir", work.resolve("node/data").toString());
                settings.put("ksef.jms.embedded-port", Integer.toString(E2eRun.freePort()));
                int managementPort = E2eRun.freePort();
                settings.put("camel.management.port", Integer.toString(managementPort));
                settings.put("ksef.sync.Subject1.cron", "0 0/" + step + " * * * ?");
                settings.put("ksef.sync.Subject2.cron", "0 " + (7 * step / 15) + "/" + step + " * * * ?");
                settings.put("ksef.auth.refresh-margin", "PT" + Math.max(1, 120 / compress) + "S");
                settings.put("ksef.rate.invoiceExport", "8/16/" + 20 * compress);
                settings.put("ksef.rate.invoiceExportStatus", "10/60/" + 600 * compress);
                settings.put("ksef.rate.invoiceDownload", "8/16/" + 64 * compress);
                settings.put("ksef.rate.invoiceMetadata", "8/16/" + 20 * compress);
                settings.put("ksef.rate.other", "10/30/" + 120 * compress);
                Map<String, String> env = new LinkedHashMap<>(Map.of("KSEF_STORE_KEY", storeKey));
                if (certificate) {
                    var files = SelfSignedCertificates.write(SelfSignedCertificates.create(office, SelfSignedCertificates.Type.SEAL,
                            SelfSignedCertificates.KeyKind.RSA, Instant.now().minus(Duration.ofDays(1)), Instant.now().plus(Duration.ofDays(365))),
                            work.resolve("certificate"), "office", password.toCharArray());
                    settings.put("ksef.auth.certificate", files.certificate().toString());
                    settings.put("ksef.auth.private-key", files.privateKey().toString());
                    settings.put("ksef.auth.verify-certificate-chain", "false");
                    env.put("KSEF_AUTH_KEY_PASSWORD", password);
                }
                List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx" + heap,
                        "-Xlog:gc:file=" + work.resolve("gc.log") + ":uptime"));
                if (o.containsKey("--jvm")) {
                    command.addAll(List.of(o.get("--jvm").trim().split("\\s+")));
                }
                settings.forEach((k, v) -> command.add("-D" + k + "=" + v));
                command.addAll(List.of("-jar", jar.toString()));
                ProcessBuilder builder = new ProcessBuilder(command).directory(work.resolve("node").toFile()).redirectErrorStream(true)
                        .redirectOutput(work.resolve("node.log").toFile());
                builder.environment().putAll(env);
                Instant started = Instant.now();
                node = builder.start();
                System.out.printf("node pid %d: %s -Xmx%s ... -jar %s (log %s)%n", node.pid(), command.get(0), heap, jar.getFileName(), work.resolve("node.log"));
                // newPerHour for the N tenants of the real schedule: the same per tenant and real hour over the compressed period
                Thread trickle = TenantsSetup.trickle(simulator, newPerHour * (contexts * (double) compress / tenants) / 3600);
                try {
                    new TenantsWindow(node, started, simulator, dbUrl, database, pgUser, "http://127.0.0.1:" + managementPort + "/observe/metrics",
                            work, contexts, compress, step).run(warmup, minutes);
                } finally {
                    trickle.interrupt();
                }
            } finally {
                if (node != null) {
                    node.destroy();
                    if (!node.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)) {
                        node.destroyForcibly().waitFor();
                    }
                }
                try (Statement s = admin.createStatement()) {
                    s.execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
                }
            }
        }
        if (!o.containsKey("--keep")) {
            Bench.delete(work);
        }
    }

    /** The jar this process runs from ({@code java -jar}), else the packaged application under target/. */
    private static String jarOfThisProcess() {
        String classPath = System.getProperty("java.class.path");
        return classPath.endsWith(".jar") && !classPath.contains(java.io.File.pathSeparator) ? classPath : "target/ksef-camel-sync.jar";
    }
}
