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

    private Migrations() {
    }

    public static void migrate(DataSource dataSource) {
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
