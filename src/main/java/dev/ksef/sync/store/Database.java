package dev.ksef.sync.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Path;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/**
 * The sync's one JDBC store: continuation points, export runs and the idempotent repository. An empty URL means the
 * embedded H2 file database under the data directory. The schema comes from Flyway migrations only.
 */
public final class Database {

    private Database() {
    }

    public static String defaultUrl(Path dataDir) {
        return "jdbc:h2:file:" + dataDir.toAbsolutePath().resolve("db").resolve("ksef-sync") + ";DB_CLOSE_ON_EXIT=FALSE";
    }

    /** A pooled data source with the schema migrated to the latest version. */
    public static HikariDataSource open(String url, String user, String password, Path dataDir) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url == null || url.isBlank() ? defaultUrl(dataDir) : url);
        config.setUsername(user == null || user.isBlank() ? (url == null || url.isBlank() ? "sa" : null) : user);
        config.setPassword(password == null || password.isBlank() ? null : password);
        config.setMaximumPoolSize(8);
        config.setPoolName("ksef-sync-db");
        HikariDataSource dataSource = new HikariDataSource(config);
        migrate(dataSource);
        return dataSource;
    }

    public static void migrate(DataSource dataSource) {
        Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").load().migrate();
    }
}
