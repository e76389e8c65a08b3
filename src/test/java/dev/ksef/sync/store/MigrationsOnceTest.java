package dev.ksef.sync.store;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.zaxxer.hikari.HikariDataSource;
import dev.ksef.sync.app.AppDatabase;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The schema migrated on a thread of its own while the caller goes on; the first use waits for it or reports why not. */
class MigrationsOnceTest {

    @TempDir
    Path dir;

    @Test
    void aMigrationStartedInTheBackgroundIsWaitedForByTheFirstUse() throws Exception {
        try (HikariDataSource dataSource = AppDatabase.pool("", "", "", dir, 10_000, 4)) {
            Migrations.migrateInBackground(dataSource, "");
            Migrations.migrate(dataSource);
            try (Connection c = dataSource.getConnection(); ResultSet tables = c.getMetaData().getTables(null, null, "EXPORT_RUN", null)) {
                assertTrue(tables.next(), "the bundle's tables are there once migrate() returns");
            }
            Migrations.migrate(dataSource); // once per JVM: returns at once
        }
    }

    @Test
    void aBackgroundMigrationThatFailedIsReportedByTheFirstUse() throws Exception {
        // H2 cannot create a database under a regular file
        Path file = java.nio.file.Files.writeString(dir.resolve("not-a-directory"), "x");
        try (HikariDataSource dataSource = AppDatabase.pool("jdbc:h2:file:" + file.resolve("db"), "sa", "", dir, 2_000, 4)) {
            Migrations.migrateInBackground(dataSource, "");
            assertThrows(RuntimeException.class, () -> Migrations.migrate(dataSource));
        }
    }
}
