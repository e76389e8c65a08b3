package dev.ksef.sync.app;

import com.zaxxer.hikari.HikariDataSource;
import dev.ksef.sync.Secrets;
import dev.ksef.sync.store.Migrations;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.component.properties.PropertiesComponent;
import org.apache.camel.support.service.ServiceSupport;

/**
 * What the runnable application adds as its own host of the bundle: environment variables over the files, the data
 * directory, the JDBC pool ({@code ksef.db.url}, embedded H2 by default) and the broker (an external one at
 * {@code ksef.jms.broker-url}, else an embedded Artemis), bound as {@code ksefDataSource} and
 * {@code ksefConnectionFactory} before the bundle's beans look for them, and the secrets it was given.
 */
final class AppConfiguration implements CamelConfiguration {

    private final Secrets secrets;

    AppConfiguration(Secrets secrets) {
        this.secrets = secrets;
    }

    @Override
    public void configure(CamelContext context) throws Exception {
        // environment variables (KSEF_NIP, ...) win over the files; -D system properties win over both
        ((PropertiesComponent) context.getPropertiesComponent()).setEnvironmentVariableMode(PropertiesComponent.ENVIRONMENT_VARIABLES_MODE_OVERRIDE);
        Path dataDir = Path.of(property(context, "ksef.data-dir", "./data")).toAbsolutePath();
        Files.createDirectories(dataDir);

        // the database is opened and migrated while Camel loads the routes; the bundle's first use waits for it
        HikariDataSource dataSource = AppDatabase.pool(property(context, "ksef.db.url", ""), property(context, "ksef.db.user", ""),
                secrets.get("ksef.db.password"), dataDir, Long.parseLong(property(context, "ksef.db.connection-timeout-ms", "30000")),
                poolSize(property(context, "ksef.db.pool-size", ""), property(context, "ksef.scheduler.max-concurrent-runs", "32")));
        Migrations.migrateInBackground(dataSource, property(context, "ksef.nip", "").strip());
        context.addService(new ServiceSupport() {
            @Override
            protected void doStop() {
                dataSource.close();
            }
        });
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
        registry.bind("ksefSecrets", secrets);
        registry.bind("ksefDataSource", dataSource);
        registry.bind("ksefBroker", broker);
        registry.bind("ksefConnectionFactory", broker.connectionFactory());
    }

    static String property(CamelContext context, String key, String fallback) {
        return context.getPropertiesComponent().resolveProperty(key).orElse(fallback);
    }

    /**
     * {@code ksef.db.pool-size}, else half the runs at once (a run mostly waits for KSeF, holding no connection) and room
     * for the run fence's session, the scheduler's own connections and the delivered-keys writer.
     */
    static int poolSize(String configured, String maxConcurrentRuns) {
        if (!configured.isBlank()) {
            return Integer.parseInt(configured.strip());
        }
        return Integer.parseInt(maxConcurrentRuns.strip()) / 2 + 8;
    }
}
