package dev.ksef.sync.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ksef.sync.PostgresDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A database a single-tenant version wrote (schema version 3) migrates with its state given to the configured NIP: the
 * continuation point, the export still to resume and the delivered keys are that context's; on PostgreSQL the
 * clustered scheduler's tables come too.
 */
class MigrationsTest {

    private static final String NIP = "5265877635";
    private static final OffsetDateTime POINT = OffsetDateTime.of(2026, 11, 20, 8, 0, 0, 0, ZoneOffset.UTC);

    @TempDir
    java.nio.file.Path dir;

    @Test
    void singleTenantStateOnH2BecomesTheConfiguredContexts() throws Exception {
        JdbcDataSource h2 = new JdbcDataSource();
        h2.setURL("jdbc:h2:file:" + dir.resolve("state") + ";DB_CLOSE_ON_EXIT=FALSE");
        h2.setUser("sa");
        carriedOver(h2);
    }

    @Test
    void singleTenantStateOnPostgresqlBecomesTheConfiguredContextsAndTheSchedulerTablesArrive() throws Exception {
        try (PostgresDatabase db = PostgresDatabase.create("ksef_migrations")) {
            carriedOver(db.dataSource());
            try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement();
                 ResultSet r = s.executeQuery("SELECT COUNT(*) FROM information_schema.tables WHERE table_name LIKE 'qrtz_%'")) {
                r.next();
                assertEquals(11, r.getInt(1), "Quartz's 11 tables");
            }
        }
    }

    private static void carriedOver(DataSource dataSource) throws Exception {
        Flyway.configure().dataSource(dataSource).locations(Migrations.LOCATION).table(Migrations.HISTORY_TABLE).target("3").load().migrate();
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute("INSERT INTO continuation_point (subject_type, point, updated_at) VALUES ('Subject1', TIMESTAMP WITH TIME ZONE '2026-11-20 08:00:00+00', "
                    + "CURRENT_TIMESTAMP)");
            s.execute("INSERT INTO export_run (reference_number, subject_type, window_from, started_at, result, sealed_key) VALUES "
                    + "('20261120-EH-1', 'Subject2', TIMESTAMP WITH TIME ZONE '2026-11-19 08:00:00+00', CURRENT_TIMESTAMP, 'RUNNING', 'sealed')");
            s.execute("INSERT INTO CAMEL_MESSAGEPROCESSED (processorName, messageId, createdAt) VALUES ('ksef-invoices', 'Subject1:"
                    + NIP + "-20261120-0100000001-AB', CURRENT_TIMESTAMP)");
            s.execute("INSERT INTO rate_limit_call (limit_group, called_at_ms) VALUES ('invoiceExport', 1000)");
        }

        Migrations.migrate(dataSource, NIP);

        assertEquals(Optional.of(POINT), new ContinuationPoints(dataSource, "P30D").stored(NIP, "Subject1"));
        assertEquals("20261120-EH-1", new ExportLog(dataSource).resumable(NIP, "Subject2").orElseThrow().referenceNumber());
        assertEquals(1, new ExportLog(dataSource).inFlight(NIP, Duration.ofDays(7)));
        assertEquals(List.of(NIP + ":Subject1:" + NIP + "-20261120-0100000001-AB"), column(dataSource, "SELECT messageId FROM CAMEL_MESSAGEPROCESSED"));
        assertEquals(List.of(NIP), column(dataSource, "SELECT scope FROM rate_limit_call"));
        assertTrue(column(dataSource, "SELECT scope FROM rate_limit_scope").stream().allMatch(NIP::equals), "the blocks are the context's");
    }

    private static List<String> column(DataSource dataSource, String sql) throws Exception {
        List<String> values = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement(); ResultSet r = s.executeQuery(sql)) {
            while (r.next()) {
                values.add(r.getString(1));
            }
        }
        return values;
    }
}
