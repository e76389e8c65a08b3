package dev.ksef.sync;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * A fresh database on the machine's PostgreSQL (the server of {@code ksef.test.postgres-url}, default
 * 127.0.0.1:5432/test, trust auth) for one test class: {@code CREATE DATABASE <prefix>_<random>}, dropped on close.
 */
public final class PostgresDatabase implements AutoCloseable {

    public static final String URL = System.getProperty("ksef.test.postgres-url", "jdbc:postgresql://127.0.0.1:5432/test");
    public static final String USER = System.getProperty("ksef.test.postgres-user", "postgres");

    private final String name;
    private final String url;

    private PostgresDatabase(String name) {
        this.name = name;
        int query = URL.indexOf('?');
        String base = query < 0 ? URL : URL.substring(0, query);
        this.url = base.substring(0, base.lastIndexOf('/') + 1) + name + (query < 0 ? "" : URL.substring(query));
    }

    /** A new empty database named {@code prefix} and a random suffix ({@code prefix}: lower case letters and '_'). */
    public static PostgresDatabase create(String prefix) throws SQLException {
        PostgresDatabase database = new PostgresDatabase(prefix + "_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12));
        try (Connection c = DriverManager.getConnection(URL, USER, null); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + database.name);
        }
        return database;
    }

    public String url() {
        return url;
    }

    /** Connections to the database, unpooled. */
    public DataSource dataSource() {
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setURL(url);
        dataSource.setUser(USER);
        return dataSource;
    }

    /** Drops the database, closing what is still connected to it. */
    @Override
    public void close() throws SQLException {
        try (Connection c = DriverManager.getConnection(URL, USER, null); Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
        }
    }
}
