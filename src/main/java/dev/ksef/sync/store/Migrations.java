package dev.ksef.sync.store;

import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.CompletableFuture;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/**
 * The bundle's schema by Flyway, apart from whatever else the database holds: scripts in {@code classpath:db/ksef-sync},
 * history in {@code ksef_schema_history}. A database that already has other tables (a host's) gets the bundle's
 * history table started at version 0, so every bundle migration still runs; the host's migrations are never read.
 */
public final class Migrations {

    public static final String LOCATION = "classpath:db/ksef-sync";
    public static final String HISTORY_TABLE = "ksef_schema_history";
    /** Migrations of PostgreSQL alone (the clustered scheduler's tables), beside the common ones. */
    public static final String POSTGRESQL_LOCATION = "classpath:db/ksef-sync-postgresql";

    private Migrations() {
    }

    /** Data sources migrated (or being migrated) in this JVM: a second call waits for the first instead of running Flyway again. */
    private static final Map<DataSource, CompletableFuture<Void>> MIGRATED = new WeakHashMap<>();

    /** Migrates {@code dataSource} once per JVM: a later call returns at once, a concurrent one waits for the running one. */
    public static void migrate(DataSource dataSource) {
        migrate(dataSource, "");
    }

    /**
     * As {@link #migrate(DataSource)}; {@code configuredNip} (ksef.nip, or empty) is the context that rows written by a
     * single-tenant version (before V4) belong to.
     */
    public static void migrate(DataSource dataSource, String configuredNip) {
        CompletableFuture<Void> done;
        boolean mine = false;
        synchronized (MIGRATED) {
            done = MIGRATED.get(dataSource);
            if (done == null || done.isCompletedExceptionally()) {
                done = new CompletableFuture<>();
                MIGRATED.put(dataSource, done);
                mine = true;
            }
        }
        if (!mine) {
            try {
                done.join();
                return;
            } catch (java.util.concurrent.CompletionException e) {
                throw e.getCause() instanceof RuntimeException r ? r : e;
            }
        }
        try {
            run(dataSource, configuredNip);
            done.complete(null);
        } catch (RuntimeException | Error e) {
            done.completeExceptionally(e);
            throw e;
        }
    }

    /**
     * Starts {@link #migrate} on a thread of its own (opening the database and Flyway's work overlap whatever the
     * caller does next); {@code migrate} of the same data source then waits for it, and reports its failure.
     */
    public static void migrateInBackground(DataSource dataSource, String configuredNip) {
        Thread thread = new Thread(() -> {
            try {
                migrate(dataSource, configuredNip);
            } catch (RuntimeException | Error e) {
                // the next migrate() of this data source tries again and reports it
            }
        }, "ksef-sync-migrations");
        thread.setDaemon(true);
        thread.start();
    }

    private static void run(DataSource dataSource, String configuredNip) {
        // Flyway sets this JVM-wide property when its classes load (for GraalVM scripts it does not run here); a guest
        // in a host's JVM leaves the host's system properties as it found them
        String polyglot = System.getProperty(FLYWAY_SETS);
        try {
            flyway(dataSource, configuredNip == null ? "" : configuredNip.strip());
        } finally {
            if (polyglot == null) {
                System.clearProperty(FLYWAY_SETS);
            } else {
                System.setProperty(FLYWAY_SETS, polyglot);
            }
        }
    }

    private static final String FLYWAY_SETS = "polyglot.engine.WarnInterpreterOnly";

    private static void flyway(DataSource dataSource, String configuredNip) {
        Flyway.configure(Migrations.class.getClassLoader())
                .dataSource(dataSource)
                .locations(postgres(dataSource) ? new String[] {LOCATION, POSTGRESQL_LOCATION} : new String[] {LOCATION})
                .table(HISTORY_TABLE)
                .baselineOnMigrate(true)
                .baselineVersion("0")
                .placeholders(java.util.Map.of("ksef_nip", configuredNip))
                .load()
                .migrate();
    }

    private static boolean postgres(DataSource dataSource) {
        try (java.sql.Connection c = dataSource.getConnection()) {
            return c.getMetaData().getDatabaseProductName().toLowerCase(java.util.Locale.ROOT).contains("postgres");
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException("cannot reach the bundle's database: " + e.getMessage(), e);
        }
    }
}
