package dev.ksef.sync.app;

import dev.ksef.sync.KsefConfigurationException;
import dev.ksef.sync.Secrets;
import dev.ksef.sync.KsefSync;

import dev.ksef.sync.api.KsefJson;
import dev.ksef.sync.simulator.KsefSimulator;
import dev.ksef.sync.simulator.SimulatorConfig;
import dev.ksef.sync.store.SyncStatus;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;

/**
 * Command line of {@code ksef-camel-sync.jar}: no argument runs the scheduler until stopped; {@code --once} runs every
 * enabled subject type until caught up and exits (0 on success); {@code status [--json]} reports the stored state;
 * {@code demo} runs the whole flow against the built-in KSeF simulator and an embedded broker; {@code tenant ...} manages the
 * KSeF contexts synced ({@link TenantCommand}).
 */
public final class Application {

    private Application() {
    }

    public static void main(String[] args) throws Exception {
        // the standalone process: Netty's pooled heap arenas (4 MiB chunks, several per core) held about 20 MB of a
        // 128 MB heap for buffers the embedded broker uses briefly; unpooled heap buffers are plain garbage instead
        if (System.getProperty("io.netty.allocator.numHeapArenas") == null) {
            System.setProperty("io.netty.allocator.numHeapArenas", "0");
        }
        // the application's console logging (the library itself logs through SLF4J only and ships no configuration)
        if (System.getProperty("log4j2.configurationFile") == null && System.getProperty("log4j.configurationFile") == null) {
            System.setProperty("log4j2.configurationFile", "classpath:ksef-sync/log4j2.properties");
        }
        List<String> arguments = Arrays.asList(args);
        try {
            run(arguments);
        } catch (Exception e) {
            KsefConfigurationException configuration = KsefConfigurationException.in(e);
            if (configuration == null) {
                throw e;
            }
            System.err.println("ksef-camel-sync: " + configuration.getMessage());
            System.exit(2);
        }
    }

    private static void run(List<String> arguments) throws Exception {
        if (arguments.isEmpty()) {
            preflight(Map.of());
            SyncApp.runScheduled(Map.of());
        } else if (arguments.contains("--once")) {
            preflight(Map.of());
            exit(once(Map.of()));
        } else if (arguments.get(0).equals("status")) {
            status(arguments.contains("--json"));
        } else if (arguments.get(0).equals("demo")) {
            exit(demo());
        } else if (arguments.get(0).equals("certificate")) {
            System.exit(CertificateCommand.run(arguments.subList(1, arguments.size()), System.getenv(), System.out));
        } else if (arguments.get(0).equals("invoices")) {
            exit(InvoicesCommand.run(arguments.subList(1, arguments.size()), Map.of(), System.out, System.err));
        } else if (arguments.get(0).equals("invoice")) {
            exit(InvoiceCommand.run(arguments.subList(1, arguments.size()), Map.of(), System.out, System.err));
        } else if (arguments.get(0).equals("reconcile")) {
            exit(ReconcileCommand.run(arguments.subList(1, arguments.size()), Map.of(), System.out, System.err));
        } else if (arguments.get(0).equals("tenant")) {
            System.exit(TenantCommand.run(arguments.subList(1, arguments.size()), settings()::getProperty, new Secrets(Map.of()), System.out, System.err));
        } else if (arguments.get(0).equals("cds-training")) {
            exit(CdsTraining.run());
        } else if (arguments.get(0).equals("bench")) {
            dev.ksef.sync.bench.Bench.main(arguments.subList(1, arguments.size()));
        } else if (arguments.get(0).equals("bench-child")) {
            dev.ksef.sync.bench.Bench.child(arguments.subList(1, arguments.size()));
            System.exit(0);
        } else {
            System.err.println("usage: java -jar ksef-camel-sync.jar [--once | status [--json] | demo | certificate self-signed --nip <NIP> [--type seal|person] [--key rsa|ec] --out <dir> | "
                    + "tenant add|list|enable|disable|remove|import ... (tenant --help) | bench [options]]");
            System.exit(2);
        }
    }

    /**
     * Every setting is checked ({@link Preflight}), the login credential loaded, before Camel starts and before anything
     * is written to disk: a mistake is one line, exit code 2.
     */
    static void preflight(Map<String, String> overrides) throws IOException {
        Properties settings = settings();
        settings.putAll(Secrets.withoutSecrets(overrides));
        Preflight.check(settings::getProperty, new Secrets(overrides), java.time.Instant.now());
    }

    /** The end of a command that used a broker: its client threads stopped first (see {@link Broker#stopClientThreads}). */
    private static void exit(int status) {
        Broker.stopClientThreads();
        System.exit(status);
    }

    /** Every (NIP, subject type) of ksef.nip and the enabled tenants once, a few at a time; one line each; 0 when all ended well. */
    static int once(Map<String, String> overrides) throws Exception {
        try (SyncApp app = SyncApp.start(overrides, false)) {
            return OnceRun.run(app, Integer.parseInt(app.property("ksef.scheduler.max-concurrent-runs").isBlank() ? "32"
                    : app.property("ksef.scheduler.max-concurrent-runs").strip()), System.out);
        }
    }

    static void status(boolean json) throws Exception {
        Properties settings = settings();
        Path dataDir = Path.of(settings.getProperty("ksef.data-dir", "./data"));
        List<String> subjectTypes = Arrays.stream(settings.getProperty("ksef.subject-types").split(",")).map(String::trim).toList();
        try (var dataSource = AppDatabase.open(settings.getProperty("ksef.db.url"), settings.getProperty("ksef.db.user"),
                new Secrets(Map.of()).get("ksef.db.password"), dataDir, 30_000, 2, settings.getProperty("ksef.nip", "").strip())) {
            // ksef.nip with ksef.subject-types, then every tenant (a disabled one too: its state stays)
            Map<String, List<String>> contexts = new java.util.LinkedHashMap<>();
            String configured = settings.getProperty("ksef.nip", "").strip();
            if (!configured.isEmpty()) {
                contexts.put(configured, subjectTypes);
            }
            List<Map<String, Object>> tenants = new java.util.ArrayList<>();
            for (var tenant : new dev.ksef.sync.tenant.TenantStore(dataSource).list()) {
                contexts.putIfAbsent(tenant.nip(), tenant.subjectTypes());
                Map<String, Object> t = new java.util.LinkedHashMap<>();
                t.put("nip", tenant.nip());
                t.put("name", tenant.name());
                t.put("enabled", tenant.enabled());
                tenants.add(t);
            }
            List<Map<String, Object>> rows = new java.util.ArrayList<>();
            for (var context : contexts.entrySet()) {
                rows.addAll(SyncStatus.read(dataSource, context.getKey(), context.getValue()));
            }
            if (json) {
                Map<String, Object> all = new java.util.LinkedHashMap<>();
                all.put("subjectTypes", rows);
                all.put("tenants", tenants);
                System.out.println(KsefJson.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(all));
                return;
            }
            for (var row : rows) {
                System.out.printf("%s %-17s continuation point %s (lag %s s), last export %s, published in total %s%n", row.get("nip"),
                        row.get("subjectType"), row.get("continuationPoint"), row.get("lagSeconds"), row.get("lastExport"), row.get("publishedTotal"));
            }
        }
    }

    /** The effective settings without starting Camel: jar defaults, config file, environment, -D. */
    static Properties settings() throws IOException {
        Properties p = new Properties();
        try (InputStream in = Application.class.getResourceAsStream(KsefSync.DEFAULTS)) {
            p.load(in);
        }
        Path file = Path.of("config/application.properties");
        if (Files.exists(file)) {
            try (InputStream in = Files.newInputStream(file)) {
                p.load(in);
            }
        }
        for (String key : p.stringPropertyNames()) {
            String env = System.getenv(key.toUpperCase().replace('.', '_').replace('-', '_'));
            if (env != null) {
                p.setProperty(key, env);
            }
            if (System.getProperty(key) != null) {
                p.setProperty(key, System.getProperty(key));
            }
        }
        return p;
    }

    private static String queueSuffix(Object subjectType) {
        return "SubjectAuthorized".equals(subjectType) ? "subject-authorized" : subjectType.toString().toLowerCase();
    }

    /** The whole flow on this machine: simulator with a few thousand invoices, embedded broker and H2 under data/demo. */
    static int demo() throws Exception {
        Path dataDir = Path.of("data", "demo");
        if (Files.exists(dataDir)) {
            try (Stream<Path> files = Files.walk(dataDir)) {
                files.sorted((a, b) -> b.getNameCount() - a.getNameCount()).forEach(f -> f.toFile().delete());
            }
        }
        SimulatorConfig config = new SimulatorConfig().maxInvoicesPerPackage(400).partSize(64 * 1024).pollsBeforeReady(2);
        try (KsefSimulator simulator = new KsefSimulator(config).start()) {
            OffsetDateTime now = simulator.clock().now();
            simulator.corpus().generate(3000, now.minusDays(20), now.minusMinutes(5));
            System.out.println("KSeF simulator at " + simulator.baseUrl() + " with " + simulator.corpus().size()
                    + " invoices for NIP " + simulator.nip() + "; syncing into the embedded broker (data in " + dataDir + ")");
            Map<String, String> overrides = new HashMap<>();
            overrides.put("ksef.base-url", simulator.baseUrl());
            overrides.put("ksef.nip", simulator.nip());
            overrides.put("ksef.token", simulator.ksefToken());
            overrides.put("ksef.data-dir", dataDir.toString());
            overrides.put("ksef.sync.initial-from", now.minusDays(21).toString());
            overrides.put("ksef.export.poll-interval-ms", "200");
            overrides.put("ksef.auth.poll-interval-ms", "100");
            int result = once(overrides);
            System.out.println();
            System.out.println("Messages now on each queue (persistent under " + dataDir + "/broker; consumers attach on tcp://127.0.0.1:61616 "
                    + "while the sync runs, logged in with the user and password in " + dataDir.resolve(BrokerLogin.FILE) + "):");
            try (var dataSource = AppDatabase.open("", "", "", dataDir)) {
                for (var row : SyncStatus.read(dataSource, simulator.nip(), List.of("Subject1", "Subject2", "Subject3", "SubjectAuthorized"))) {
                    System.out.printf("  %-34s %5s messages, continuation point %s%n", "ksef.invoices." + queueSuffix(row.get("subjectType")),
                            row.get("publishedTotal"), row.get("continuationPoint"));
                }
            }
            return result;
        }
    }
}
