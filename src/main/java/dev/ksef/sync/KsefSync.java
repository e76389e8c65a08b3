package dev.ksef.sync;

import dev.ksef.sync.auth.AccessTokenRenewal;
import dev.ksef.sync.auth.KsefContext;
import dev.ksef.sync.auth.KsefSessions;
import dev.ksef.sync.auth.LoginCredential;
import dev.ksef.sync.crypto.KeySeal;
import dev.ksef.sync.export.ExportEvents;
import dev.ksef.sync.export.ExportPlanner;
import dev.ksef.sync.export.ExportTracker;
import dev.ksef.sync.health.LastRunCheck;
import dev.ksef.sync.health.LastRuns;
import dev.ksef.sync.health.SyncLag;
import dev.ksef.sync.health.SyncLagCheck;
import dev.ksef.sync.jms.Destinations;
import dev.ksef.sync.jms.EndpointPublisher;
import dev.ksef.sync.jms.InvoicePublisher;
import dev.ksef.sync.limits.KsefCallGuard;
import dev.ksef.sync.limits.RateBudget;
import dev.ksef.sync.metrics.SyncMeters;
import dev.ksef.sync.pkg.DeliveredInvoices;
import dev.ksef.sync.pkg.PackageReader;
import dev.ksef.sync.pkg.PackageSpool;
import dev.ksef.sync.pkg.PackageThreads;
import dev.ksef.sync.store.ContinuationPoints;
import dev.ksef.sync.store.ExportLog;
import dev.ksef.sync.store.MigratedDataSource;
import dev.ksef.sync.schedule.TenantDirectory;
import dev.ksef.sync.schedule.TenantRuns;
import dev.ksef.sync.schedule.TenantScheduler;
import dev.ksef.sync.tenant.TenantStore;
import org.apache.camel.support.service.ServiceSupport;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.camel.CamelContext;
import org.apache.camel.CamelContextAware;
import org.apache.camel.component.http.HttpComponent;
import org.apache.camel.spi.PropertiesComponent;

/**
 * The bundle's beans, created when a host loads the bundle's route folder ({@code classpath:ksef-sync/routes/}, whose
 * {@code ksef-sync-beans.camel.yaml} declares this bean): the bundle's defaults for {@code ksef.*} settings (the
 * host's own settings, environment and system properties win), the host's {@link DataSource} and JMS
 * {@code ConnectionFactory} looked up in the registry (the only one of its type, or the one named by
 * {@code ksef.datasource} / {@code ksef.jms.connection-factory}; none is ever created here), the schema migrated in the
 * bundle's own Flyway location and history table, the private HTTP components {@code ksef-http} (KSeF API) and
 * {@code ksef-storage} (package parts), and the beans the routes call, each bound under a {@code ksef} name.
 */
public final class KsefSync implements CamelContextAware {

    public static final String IDEMPOTENT_PROCESSOR = "ksef-invoices";
    public static final String DEFAULTS = "/ksef-sync/application.properties";

    private CamelContext context;
    /** The contexts of tenants (set when the tenant directory starts), asked for NIPs the settings do not name. */
    private volatile KsefSessions.ContextSource contexts;
    /** The enabled tenants and their subject types (set when the tenant directory starts). */
    private volatile java.util.function.Supplier<java.util.Map<String, List<String>>> tenantContexts = java.util.Map::of;
    private KsefSessions sessions;

    @Override
    public void setCamelContext(CamelContext context) {
        this.context = context;
    }

    @Override
    public CamelContext getCamelContext() {
        return context;
    }

    /**
     * Creates and binds the bundle's beans (init method of the bean declared in the route folder). The host's beans may
     * not be bound yet when a host reads the route folder (camel-main reads it first), so they are looked up when the
     * context starts, before any route does: the DataSource (then migrated), the secrets and the configured context.
     */
    public void bind() throws Exception {
        KsefSessions bound = context.getRegistry().lookupByNameAndType("ksefSessions", KsefSessions.class);
        if (bound != null) {
            // the route folder was read twice (camel-main pre-parses route files for beans): the beans are there already
            sessions = bound;
            return;
        }
        addDefaults(context.getPropertiesComponent());
        SettingsCheck.bundle(key -> property(key, "")); // a mistake is one line naming the key, before any bean parses it
        MigratedDataSource dataSource = new MigratedDataSource(() -> HostBeans.dataSource(context, property("ksef.datasource", "")),
                () -> property("ksef.nip", "").strip());
        Clock clock = Clock.systemUTC();
        var registry = context.getRegistry();
        sessions = new KsefSessions(nip -> contexts == null ? null : contexts.context(nip),
                Duration.parse(property("ksef.auth.refresh-margin", "PT2M")), clock);
        context.addService(new ServiceSupport() {
            @Override
            protected void doStart() {
                dataSource.target();
                if (!property("ksef.nip", "").isBlank()) {
                    sessions.connect(ksefContext(secrets(), property("ksef.nip", ""), property("ksef.base-url", ""), key -> property(key, "")));
                }
            }
        }, true, true);
        ContinuationPoints continuationPoints = new ContinuationPoints(dataSource, property("ksef.sync.initial-from", "P30D"));
        ExportLog exportLog = new ExportLog(dataSource, property("ksef.scheduler.instance-id", ""));
        Map<String, RateBudget.Limits> limits = new HashMap<>();
        for (String group : List.of("invoiceExport", "invoiceExportStatus", "invoiceDownload", "invoiceMetadata", "auth", "other")) {
            limits.put(group, RateBudget.Limits.parse(property("ksef.rate." + group, "0/0/0")));
        }
        Duration maxWait = Duration.parse(property("ksef.rate.max-wait", "PT10M"));
        RateBudget budget = new RateBudget(dataSource, limits, maxWait, clock, Thread::sleep);
        ExportTracker.ExportPolicy policy = new ExportTracker.ExportPolicy(Duration.parse(property("ksef.export.deadline", "PT2H")),
                Integer.parseInt(property("ksef.export.max-replacements", "2")),
                Duration.parse(property("ksef.package.link-max-age", "PT45M")),
                Integer.parseInt(property("ksef.package.part-attempts", "3")));

        // health checks (found by Camel's registry health-check repository) and meters (on the host's MeterRegistry)
        SyncLag syncLag = SyncLag.configured(continuationPoints, this::syncedContexts, key -> property(key, ""), clock);
        LastRuns lastRuns = new LastRuns(clock);
        SyncMeters meters = new SyncMeters(context, syncLag, SyncMeters.PerNip.of(property("ksef.metrics.per-nip", "all")));
        context.addService(meters, true, true);
        registry.bind("ksefSyncLagCheck", new SyncLagCheck(syncLag));
        registry.bind("ksefLastRunCheck", new LastRunCheck(lastRuns, this::syncedContexts));
        registry.bind("ksefSyncMeters", meters);

        registry.bind("ksef-http", httpComponent());
        registry.bind("ksef-storage", httpComponent());
        // the bundle's threads come from the context's thread pool manager: the host sees them and they stop with it
        String checkThreads = property("ksef.package.check-threads", "");
        PackageThreads packageThreads = PackageThreads.of(context, this, checkThreads.isBlank() ? 0 : Integer.parseInt(checkThreads.strip()));
        DeliveredInvoices deliveredInvoices = new DeliveredInvoices(dataSource, IDEMPOTENT_PROCESSOR,
                () -> PackageThreads.fixedPool(context, this, "ksef-delivered-keys", 1));
        context.addService(deliveredInvoices, true, true);
        registry.bind("ksefDeliveredInvoices", deliveredInvoices);
        registry.bind("ksefContinuationPoints", continuationPoints);
        registry.bind("ksefSessions", sessions);
        registry.bind("ksefRateBudget", budget);
        dev.ksef.sync.schedule.RunFence fence = new dev.ksef.sync.schedule.RunFence(dataSource);
        context.addService(fence, true, true); // before the scheduler: stopped after it, once its runs are over
        registry.bind("ksefRunFence", fence);
        // tenants: the contexts of the ksef_tenant table beside the configured one, and the scheduler of their runs
        TenantDirectory directory = new TenantDirectory(new TenantStore(dataSource), key -> property(key, ""), this::secrets,
                sessions::connectedNips);
        contexts = directory;
        tenantContexts = directory::subjectTypes;
        registry.bind("ksefTenants", directory);
        TenantRuns runs = new TenantRuns(context, directory);
        registry.bind("ksefTenantRuns", runs);
        if (Boolean.parseBoolean(property("ksef.scheduler.enabled", "false"))) {
            TenantScheduler scheduler = new TenantScheduler(dataSource, directory, runs,
                    nip -> context.getRegistry().lookupByNameAndType("ksefReconciler", dev.ksef.sync.reconcile.Reconciler.class).run(nip, null),
                    key -> property(key, ""), context.getName(), meters);
            context.addStartupListener(scheduler);
            context.addService(scheduler, true, true);
            registry.bind("ksefTenantScheduler", scheduler);
        }
        registry.bind("ksefCallGuard", new KsefCallGuard(budget, maxWait, clock, meters));
        registry.bind("ksefAccessTokenRenewal", new AccessTokenRenewal(sessions));
        registry.bind("ksefInvoiceDownload", new dev.ksef.sync.download.InvoiceDownload());
        registry.bind("ksefMetadataQuery", new dev.ksef.sync.download.MetadataQuery(Integer.parseInt(property("ksef.metadata.page-size", "250"))));
        registry.bind("ksefExportPlanner", new ExportPlanner(continuationPoints, exportLog, sessions,
                Integer.parseInt(property("ksef.export.max-in-flight", "10")), property("ksef.export.compression", "Zip").strip()));
        registry.bind("ksefExportTracker", new ExportTracker(exportLog, continuationPoints, sessions, policy, clock,
                ExportEvents.of(meters, lastRuns)));
        registry.bind("ksefPackageSpool", new PackageSpool(SpoolDirectory.resolve(property("ksef.spool-dir", ""), property("ksef.data-dir", "")),
                packageThreads.background()));
        registry.bind("ksefPackageReader", new PackageReader(Integer.parseInt(property("ksef.publish.batch-size", "500")),
                Long.parseLong(property("ksef.package.max-invoice-bytes", "52428800")),
                Long.parseLong(property("ksef.package.max-package-bytes", "17179869184")),
                Long.parseLong(property("ksef.publish.batch-max-bytes", "16777216")), packageThreads));
        Destinations destinations = new Destinations(key -> property(key, ""));
        registry.bind("ksefDestinations", destinations);
        String quarantine = destinations.uri("invalid", "");
        InvoicePublisher invoicePublisher = new InvoicePublisher(
                () -> HostBeans.connectionFactory(context, property("ksef.jms.connection-factory", "")), Destinations.jmsQueue(quarantine));
        registry.bind("ksefInvoicePublisher", invoicePublisher);
        EndpointPublisher endpointPublisher = new EndpointPublisher(context, deliveredInvoices, quarantine, invoicePublisher);
        context.addService(endpointPublisher, true, true);
        registry.bind("ksefEndpointPublisher", endpointPublisher);

        // reconciliation: KSeF's metadata query against the delivered keys, the missing invoices downloaded by number
        dev.ksef.sync.store.ReconcileLog reconcileLog = new dev.ksef.sync.store.ReconcileLog(dataSource);
        registry.bind("ksefReconciliation", new dev.ksef.sync.reconcile.Reconciliation(continuationPoints, deliveredInvoices, reconcileLog,
                destinations, Integer.parseInt(property("ksef.reconcile.days", "7")), clock,
                run -> meters.reconciled(run.nip, run.subjectType, run.healed)));
        registry.bind("ksefReconciler", new dev.ksef.sync.reconcile.Reconciler(context, this::syncedContexts));
        registry.bind("ksefReconcileCheck", new dev.ksef.sync.health.ReconcileCheck(this::syncedContexts, reconcileLog::latest));

        // the request queue: an invoice asked for by KSeF number, published again (off while ksef.requests.queue is empty)
        registry.bind("ksefInvoiceRequest", new dev.ksef.sync.download.InvoiceRequest(destinations));
        dev.ksef.sync.jms.InvoiceRequests requests = new dev.ksef.sync.jms.InvoiceRequests(context,
                () -> HostBeans.connectionFactory(context, property("ksef.jms.connection-factory", "")), property("ksef.requests.queue", ""),
                property("ksef.requests.failed-queue", "ksef.requests.failed"), Long.parseLong(property("ksef.requests.reconnect-delay-ms", "5000")));
        context.addStartupListener(requests);
        context.getManagementStrategy().addEventNotifier(requests.stopper());
        context.addService(requests, true, true);
        registry.bind("ksefInvoiceRequests", requests);
    }

    /**
     * The contexts synced now, NIP to subject types: those the settings or Kamelets connected (with
     * {@code ksef.subject-types}), and the enabled tenants.
     */
    public java.util.Map<String, List<String>> syncedContexts() {
        java.util.Map<String, List<String>> synced = new java.util.TreeMap<>();
        List<String> subjectTypes = SyncLag.subjectTypes(key -> property(key, ""));
        for (String nip : sessions.connectedNips()) {
            synced.put(nip, subjectTypes);
        }
        synced.putAll(tenantContexts.get());
        return synced;
    }

    /** The secrets the host bound as {@code ksefSecrets} (the application does), else environment and system properties. */
    public Secrets secrets() {
        return HostBeans.optional(context, "ksefSecrets", Secrets.class).orElseGet(() -> new Secrets(Map.of()));
    }

    public KsefSessions sessions() {
        return sessions;
    }

    /** The context of {@code nip}: base URL checked, credential loaded, store key derived. */
    public static KsefContext ksefContext(Secrets secrets, String nip, String baseUrl, java.util.function.Function<String, String> settings) {
        if (!Nip.isValid(nip.strip())) {
            throw new KsefConfigurationException("ksef.nip must be a NIP (ten digits with a valid checksum), not '" + nip.strip() + "'");
        }
        LoginCredential credential = LoginSettings.credential(settings, secrets, Clock.systemUTC().instant());
        return new KsefContext(KsefBaseUrl.require(baseUrl).strip(), nip.strip(), credential,
                KeySeal.of(secrets.get("ksef.store.key"), credential.storeKeyMaterial()));
    }

    /** The KSeF API client: its own retries off (they would bypass the rate budget), the bundle's timeouts. */
    private HttpComponent httpComponent() {
        HttpComponent http = new HttpComponent();
        http.setCamelContext(context);
        http.setAutomaticRetriesDisabled(true);
        http.setConnectTimeout(Long.parseLong(property("ksef.http.connect-timeout-ms", "10000")));
        http.setResponseTimeout(Long.parseLong(property("ksef.http.response-timeout-ms", "120000")));
        return http;
    }

    /** The bundle's documented defaults under every {@code ksef.*} key the host leaves unset (lowest precedence). */
    static void addDefaults(PropertiesComponent properties) throws IOException {
        Properties defaults = new Properties();
        try (InputStream in = KsefSync.class.getResourceAsStream(DEFAULTS)) {
            if (in == null) {
                throw new IllegalStateException(DEFAULTS + " is missing from the bundle's jar");
            }
            defaults.load(in);
        }
        for (String key : defaults.stringPropertyNames()) {
            if (key.startsWith("ksef.")) {
                properties.addInitialProperty(key, defaults.getProperty(key));
            }
        }
    }

    private String property(String key, String fallback) {
        return context.getPropertiesComponent().resolveProperty(key).orElse(fallback);
    }
}
