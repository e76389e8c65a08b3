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

    private Migrations() {
    }

    /** Data sources migrated (or being migrated) in this JVM: a second call waits for the first instead of running Flyway again. */
    private static final Map<DataSource, CompletableFuture<Void>> MIGRATED = new WeakHashMap<>();

    /** Migrates {@code dataSource} once per JVM: a later call returns at once, a concurrent one waits for the running one. */
    public static void migrate(DataSource dataSource) {
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
            run(dataSource);
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
    public static void migrateInBackground(DataSource dataSource) {
        Thread thread = new Thread(() -> {
            try {
                migrate(dataSource);
            } catch (RuntimeException | Error e) {
                // the next migrate() of this data source tries again and reports it
            }
        }, "ksef-sync-migrations");
        thread.setDaemon(true);
        thread.start();
    }

    private static void run(DataSource dataSource) {
        // Flyway sets this JVM-wide property when its classes load (for GraalVM scripts it does not run here); a guest
        // in a host's JVM leaves the host's system properties as it found them
        String polyglot = System.getProperty(FLYWAY_SETS);
        try {
            flyway(dataSource);
        } finally {
            if (polyglot == null) {
                System.clearProperty(FLYWAY_SETS);
            } else {
                System.setProperty(FLYWAY_SETS, polyglot);
            }
        }
    }

    private static final String FLYWAY_SETS = "polyglot.engine.WarnInterpreterOnly";

    private static void flyway(DataSource dataSource) {
        Flyway.configure(Migrations.class.getClassLoader())
                .dataSource(dataSource)
                .locations(LOCATION)
                .table(HISTORY_TABLE)
                .baselineOnMigrate(true)
                .baselineVersion("0")
                .load()
                .migrate();
    }
}
