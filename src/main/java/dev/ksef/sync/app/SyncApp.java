package dev.ksef.sync.app;

import dev.ksef.sync.Secrets;

import dev.ksef.sync.export.ExportPlanner;
import dev.ksef.sync.export.ExportTracker;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.main.Main;

/**
 * The route bundle as a running camel-main application: properties from the jar's defaults, then
 * {@code config/application.properties} next to the working directory, then the environment and {@code -D}
 * options (and, for tests and the demo, explicit overrides). The bundle's routes and beans come from its route
 * folder; the application adds its database and broker ({@link AppConfiguration}) and instantiates the
 * {@code ksef-sync} template once per configured subject type.
 */
public final class SyncApp implements AutoCloseable {

    private static final String ROUTES = "camel.main.routes-include-pattern";
    /** The route file a host needs and the application does not (see {@link #routeFiles}). */
    static final String HOST_ONLY_ROUTES = "ksef-reconcile-schedule.camel.yaml";

    private final Main main;
    private final boolean scheduled;

    private SyncApp(Map<String, String> overrides, boolean scheduled) {
        this.scheduled = scheduled;
        main = new Main();
        main.setPropertyPlaceholderLocations("classpath:ksef-sync/application.properties,file:config/application.properties;optional=true");
        Properties properties = new Properties();
        properties.putAll(Secrets.withoutSecrets(overrides));
        // the scheduled application runs one job per (NIP, subject type) of ksef.nip and the tenants on the bundle's scheduler
        properties.putIfAbsent("ksef.scheduler.enabled", Boolean.toString(scheduled));
        if (!scheduled) {
            // a run on demand (--once, demo) serves no health or metrics: nothing would scrape it, and a scheduled
            // instance on the same machine may hold the management port
            properties.putIfAbsent("camel.management.enabled", "false");
            properties.putIfAbsent("ksef.reconcile.enabled", "false"); // reconcile on demand only (the reconcile command)
            // nor JMX, nor meters unless told to serve them: less to start before the first KSeF call
            properties.putIfAbsent("camel.main.jmx-enabled", "false");
            if (!"true".equals(properties.getProperty("camel.management.enabled"))) {
                properties.putIfAbsent("camel.metrics.enabled", "false");
            }
        }
        String routes = routeFiles(properties);
        if (routes != null) {
            properties.setProperty(ROUTES, routes);
        }
        main.setOverrideProperties(properties);
        main.configure().addConfiguration(new AppConfiguration(new Secrets(overrides)));
    }

    /** Starts the bundle; with {@code scheduled} the tenant scheduler runs, otherwise runs happen only through {@link #runOnce}. */
    public static SyncApp start(Map<String, String> overrides, boolean scheduled) throws Exception {
        SyncApp app = new SyncApp(overrides, scheduled);
        app.main.start();
        return app;
    }

    /**
     * The route files as a list when the configured pattern is a {@code classpath:} wildcard (see {@link RouteFiles}),
     * without the host's reconciliation cron; null when it is set where this cannot see it (Camel then resolves it).
     */
    private static String routeFiles(Properties overrides) {
        try {
            if (System.getenv("CAMEL_MAIN_ROUTESINCLUDEPATTERN") != null) {
                return null;
            }
            String pattern = overrides.getProperty(ROUTES, Application.settings().getProperty(ROUTES));
            if (pattern == null) {
                return null;
            }
            // the reconciliation's cron route is a host's: the application's own scheduler runs a nightly job per NIP,
            // and that route's camel-quartz would start (and take half a second to stop) a Quartz scheduler of its own
            return java.util.Arrays.stream(RouteFiles.expand(pattern, SyncApp.class.getClassLoader()).split(","))
                    .filter(file -> !file.endsWith("/" + HOST_ONLY_ROUTES)).collect(java.util.stream.Collectors.joining(","));
        } catch (java.io.IOException e) {
            return null;
        }
    }

    /** Runs the scheduler until the JVM is stopped (Ctrl-C shuts down gracefully). */
    public static void runScheduled(Map<String, String> overrides) throws Exception {
        SyncApp app = new SyncApp(overrides, true);
        app.main.run();
    }

    public CamelContext context() {
        return main.getCamelContext();
    }

    public List<String> subjectTypes() {
        return Arrays.stream(property("ksef.subject-types").split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    /** The endpoint URI the invoices of {@code subjectType} go to. */
    public String destination(String subjectType) {
        return context().getRegistry().lookupByNameAndType("ksefDestinations", dev.ksef.sync.jms.Destinations.class).uri(subjectType, "");
    }

    public String property(String key) {
        return context().getPropertiesComponent().resolveProperty(key).orElse("");
    }

    /** One run of a subject type of the configured context until caught up; throws what failed it. */
    public void runOnce(String subjectType) throws Exception {
        runOnce("", subjectType);
    }

    /** One run of a subject type of the context {@code nip} (empty: ksef.nip) until caught up; throws what failed it. */
    public void runOnce(String nip, String subjectType) throws Exception {
        Exchange result = context().createProducerTemplate().send("direct:ksef-sync-run", exchange -> {
            exchange.setProperty(dev.ksef.sync.auth.KsefSessions.CONTEXT_NIP, nip);
            exchange.setProperty(ExportPlanner.SUBJECT_TYPE, subjectType);
            exchange.setProperty("ksefDestination", "");
            exchange.setProperty(ExportTracker.CATCH_UP, true);
        });
        if (result.getException() != null) {
            throw result.getException();
        }
    }

    /** Every context synced now and its subject types: ksef.nip and the enabled tenants. */
    public Map<String, dev.ksef.sync.schedule.TenantDirectory.Plan> plans() {
        return context().getRegistry().lookupByNameAndType("ksefTenants", dev.ksef.sync.schedule.TenantDirectory.class).plans();
    }

    /** One run of a (NIP, subject type) as the scheduler runs it (fence included); its failure is in the result. */
    public dev.ksef.sync.schedule.TenantRuns.Result run(String nip, String subjectType, String initialFrom) {
        return context().getRegistry().lookupByNameAndType("ksefTenantRuns", dev.ksef.sync.schedule.TenantRuns.class)
                .run(nip, subjectType, initialFrom, false);
    }

    @Override
    public void close() {
        main.stop();
        main.shutdown();
    }
}
