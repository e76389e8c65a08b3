package dev.ksef.sync.app;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Path;
import dev.ksef.sync.store.Migrations;

/**
 * The application's JDBC pool for the bundle's state (a host brings its own DataSource instead): the URL given, or the
 * embedded H2 file database under the data directory when none is. The schema comes from the bundle's migrations.
 */
public final class AppDatabase {

    private AppDatabase() {
    }

    /** Embedded H2; WRITE_DELAY=0 makes each commit durable on disk, so a killed process loses no committed state. */
    public static String defaultUrl(Path dataDir) {
        return "jdbc:h2:file:" + dataDir.toAbsolutePath().resolve("db").resolve("ksef-sync") + ";DB_CLOSE_ON_EXIT=FALSE;WRITE_DELAY=0";
    }

    /** A pooled data source with the schema migrated to the latest version. */
    public static HikariDataSource open(String url, String user, String password, Path dataDir) {
        return open(url, user, password, dataDir, 30_000);
    }

    /** As above; a connection not obtained within {@code connectionTimeoutMillis} fails the call (database down). */
    public static HikariDataSource open(String url, String user, String password, Path dataDir, long connectionTimeoutMillis) {
        return open(url, user, password, dataDir, connectionTimeoutMillis, 8, "");
    }

    /**
     * As above, with {@code poolSize} connections at most (see AppConfiguration: ksef.db.pool-size), and
     * {@code configuredNip} (ksef.nip) owning the state a single-tenant version stored.
     */
    public static HikariDataSource open(String url, String user, String password, Path dataDir, long connectionTimeoutMillis,
                                        int poolSize, String configuredNip) {
        HikariDataSource dataSource = new HikariDataSource(config(url, user, password, dataDir, connectionTimeoutMillis, poolSize));
        Migrations.migrate(dataSource, configuredNip);
        return dataSource;
    }

    /**
     * The same pool, neither connected nor migrated yet: the database is opened (and must be migrated) on first use,
     * so the caller can do both on a thread of its own ({@link Migrations#migrateInBackground}).
     */
    public static HikariDataSource pool(String url, String user, String password, Path dataDir, long connectionTimeoutMillis, int poolSize) {
        HikariDataSource dataSource = new HikariDataSource();
        config(url, user, password, dataDir, connectionTimeoutMillis, poolSize).copyStateTo(dataSource);
        return dataSource;
    }

    private static HikariConfig config(String url, String user, String password, Path dataDir, long connectionTimeoutMillis, int poolSize) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url == null || url.isBlank() ? defaultUrl(dataDir) : url);
        config.setUsername(user == null || user.isBlank() ? (url == null || url.isBlank() ? "sa" : null) : user);
        config.setPassword(password == null || password.isBlank() ? null : password);
        config.setMaximumPoolSize(poolSize);
        config.setPoolName("ksef-sync-db");
        config.setConnectionTimeout(connectionTimeoutMillis);
        config.setInitializationFailTimeout(connectionTimeoutMillis);
        return config;
    }
}
