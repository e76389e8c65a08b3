package dev.ksef.sync;

import com.zaxxer.hikari.HikariDataSource;
import dev.ksef.sync.auth.AccessTokenRenewal;
import dev.ksef.sync.auth.KsefSession;
import dev.ksef.sync.auth.LoginCredential;
import dev.ksef.sync.crypto.KeySeal;
import dev.ksef.sync.limits.KsefCallGuard;
import dev.ksef.sync.limits.RateBudget;
import dev.ksef.sync.export.ExportPlanner;
import dev.ksef.sync.export.ExportTracker;
import dev.ksef.sync.jms.Broker;
import dev.ksef.sync.jms.InvoicePublisher;
import dev.ksef.sync.pkg.DeliveredInvoices;
import dev.ksef.sync.pkg.PackageReader;
import dev.ksef.sync.pkg.PackageSpool;
import dev.ksef.sync.store.ContinuationPoints;
import dev.ksef.sync.store.Database;
import dev.ksef.sync.store.ExportLog;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;

/**
 * Builds the beans the routes call, from the {@code ksef.*} properties, and binds them in the registry under the
 * names the route files use. Store and broker come up here, before any route starts.
 */
public final class SyncConfiguration implements CamelConfiguration {

    public static final String IDEMPOTENT_PROCESSOR = "ksef-invoices";

    private final Secrets secrets;

    public SyncConfiguration(Secrets secrets) {
        this.secrets = secrets;
    }

    @Override
    public void configure(CamelContext context) throws Exception {
        SyncApp.useEnvironmentOverrides(context);
        KsefBaseUrl.require(property(context, "ksef.base-url", ""));
        Path dataDir = Path.of(property(context, "ksef.data-dir", "./data"));
        Files.createDirectories(dataDir);

        HikariDataSource dataSource = Database.open(property(context, "ksef.db.url", ""), property(context, "ksef.db.user", ""),
                secrets.get("ksef.db.password"), dataDir,
                Long.parseLong(property(context, "ksef.db.connection-timeout-ms", "30000")));
        context.addService(new org.apache.camel.support.service.ServiceSupport() {
            @Override
            protected void doStop() {
                dataSource.close();
            }
        });
        ContinuationPoints continuationPoints = new ContinuationPoints(dataSource, property(context, "ksef.sync.initial-from", "P30D"));
        ExportLog exportLog = new ExportLog(dataSource);

        LoginCredential credential = LoginSettings.credential(key -> property(context, key, ""), secrets, Clock.systemUTC().instant());
        KsefSession session = new KsefSession(property(context, "ksef.nip", ""), credential,
                Duration.parse(property(context, "ksef.auth.refresh-margin", "PT2M")), Clock.systemUTC());
        KeySeal keySeal = KeySeal.of(secrets.get("ksef.store.key"), credential.storeKeyMaterial());
        Map<String, RateBudget.Limits> limits = new HashMap<>();
        for (String group : List.of("invoiceExport", "invoiceExportStatus", "invoiceDownload", "auth", "other")) {
            limits.put(group, RateBudget.Limits.parse(property(context, "ksef.rate." + group, "0/0/0")));
        }
        Duration maxWait = Duration.parse(property(context, "ksef.rate.max-wait", "PT10M"));
        RateBudget budget = new RateBudget(dataSource, limits, maxWait, Clock.systemUTC(), Thread::sleep);
        ExportTracker.ExportPolicy policy = new ExportTracker.ExportPolicy(Duration.parse(property(context, "ksef.export.deadline", "PT2H")),
                Integer.parseInt(property(context, "ksef.export.max-replacements", "2")),
                Duration.parse(property(context, "ksef.package.link-max-age", "PT45M")),
                Integer.parseInt(property(context, "ksef.package.part-attempts", "3")));

        Broker broker = new Broker(property(context, "ksef.jms.broker-url", ""), property(context, "ksef.jms.user", ""),
                secrets.get("ksef.jms.password"), dataDir, Integer.parseInt(property(context, "ksef.jms.embedded-port", "61616")));
        String brokerMemory = property(context, "ksef.jms.embedded-memory-bytes", "");
        if (!brokerMemory.isBlank()) {
            broker.memoryBytes(Long.parseLong(brokerMemory));
        }
        broker.pageBytes(Integer.parseInt(property(context, "ksef.jms.embedded-page-bytes", "1048576")));
        broker.start();
        context.addService(broker, true, true);

        var registry = context.getRegistry();
        registry.bind("dataSource", dataSource);
        registry.bind("broker", broker);
        DeliveredInvoices deliveredInvoices = new DeliveredInvoices(dataSource, IDEMPOTENT_PROCESSOR);
        context.addService(deliveredInvoices, true, true);
        registry.bind("deliveredInvoices", deliveredInvoices);
        registry.bind("continuationPoints", continuationPoints);
        registry.bind("ksefSession", session);
        registry.bind("rateBudget", budget);
        registry.bind("ksefCallGuard", new KsefCallGuard(budget, maxWait, Clock.systemUTC()));
        registry.bind("accessTokenRenewal", new AccessTokenRenewal(session));
        registry.bind("exportPlanner", new ExportPlanner(continuationPoints, exportLog, session, keySeal,
                Integer.parseInt(property(context, "ksef.export.max-in-flight", "10"))));
        registry.bind("exportTracker", new ExportTracker(exportLog, continuationPoints, session, keySeal, policy, Clock.systemUTC()));
        registry.bind("packageSpool", new PackageSpool(dataDir));
        registry.bind("packageReader", new PackageReader(Integer.parseInt(property(context, "ksef.publish.batch-size", "500")),
                Long.parseLong(property(context, "ksef.package.max-invoice-bytes", "52428800")),
                Long.parseLong(property(context, "ksef.package.max-package-bytes", "17179869184")),
                Long.parseLong(property(context, "ksef.publish.batch-max-bytes", "16777216"))));
        registry.bind("invoicePublisher", new InvoicePublisher(broker.connectionFactory(), property(context, "ksef.queue.invalid", "ksef.invoices.invalid")));
    }

    static String property(CamelContext context, String key, String fallback) {
        return context.getPropertiesComponent().resolveProperty(key).orElse(fallback);
    }
}
