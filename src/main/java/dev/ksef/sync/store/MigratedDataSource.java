package dev.ksef.sync.store;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.function.Supplier;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * The host's {@link DataSource}, found when the bundle starts (a host binds its beans after the bundle's route folder
 * is read) and migrated to the bundle's schema before its first connection is handed out.
 */
public final class MigratedDataSource implements DataSource {

    private final Supplier<DataSource> lookup;
    private volatile DataSource target;

    private final Supplier<String> configuredNip;

    public MigratedDataSource(Supplier<DataSource> lookup) {
        this(lookup, () -> "");
    }

    /** @param configuredNip ksef.nip: the context of the state a single-tenant version stored (see {@link Migrations}) */
    public MigratedDataSource(Supplier<DataSource> lookup, Supplier<String> configuredNip) {
        this.lookup = lookup;
        this.configuredNip = configuredNip;
    }

    /** The host's data source, migrated (once). */
    public DataSource target() {
        DataSource t = target;
        if (t == null) {
            synchronized (this) {
                if (target == null) {
                    DataSource found = lookup.get();
                    Migrations.migrate(found, configuredNip.get());
                    target = found;
                }
                t = target;
            }
        }
        return t;
    }

    @Override
    public Connection getConnection() throws SQLException {
        return target().getConnection();
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        return target().getConnection(username, password);
    }

    @Override
    public PrintWriter getLogWriter() throws SQLException {
        return target().getLogWriter();
    }

    @Override
    public void setLogWriter(PrintWriter out) throws SQLException {
        target().setLogWriter(out);
    }

    @Override
    public void setLoginTimeout(int seconds) throws SQLException {
        target().setLoginTimeout(seconds);
    }

    @Override
    public int getLoginTimeout() throws SQLException {
        return target().getLoginTimeout();
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        return target().getParentLogger();
    }

    @Override
    public <T> T unwrap(Class<T> type) throws SQLException {
        return type.isInstance(this) ? type.cast(this) : target().unwrap(type);
    }

    @Override
    public boolean isWrapperFor(Class<?> type) throws SQLException {
        return type.isInstance(this) || target().isWrapperFor(type);
    }
}
