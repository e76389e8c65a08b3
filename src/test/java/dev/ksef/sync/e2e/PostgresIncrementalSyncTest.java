package dev.ksef.sync.e2e;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;

/** The same end-to-end sync with the state in the machine's PostgreSQL (127.0.0.1:5432, database test). */
class PostgresIncrementalSyncTest extends IncrementalSyncTest {

    static final String URL = System.getProperty("ksef.test.postgres-url", "jdbc:postgresql://127.0.0.1:5432/test");
    static final String USER = System.getProperty("ksef.test.postgres-user", "postgres");

    @BeforeEach
    void cleanSchema() throws Exception {
        try (Connection c = DriverManager.getConnection(URL, USER, null); Statement s = c.createStatement()) {
            s.execute("DROP SCHEMA IF EXISTS ksef_sync_test CASCADE");
            s.execute("CREATE SCHEMA ksef_sync_test");
        }
    }

    @Override
    Map<String, String> storeProperties() {
        return Map.of("ksef.db.url", URL + "?currentSchema=ksef_sync_test", "ksef.db.user", USER);
    }
}
