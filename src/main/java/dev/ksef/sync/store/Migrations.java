package dev.ksef.sync.store;

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

    public static void migrate(DataSource dataSource) {
        migrate(dataSource, "");
    }

    /**
     * Migrates the schema; {@code configuredNip} (ksef.nip, or empty) is the context that rows written by a
     * single-tenant version (before V4) belong to.
     */
    public static void migrate(DataSource dataSource, String configuredNip) {
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
