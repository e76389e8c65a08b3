package dev.ksef.sync.tenant;

import dev.ksef.sync.KsefConfigurationException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The tenants in table {@code ksef_tenant} (plain JDBC; H2 and PostgreSQL). Every change moves {@code updated_at} past
 * the newest one stored, so {@link #version()} (count and newest change) tells a scheduler cheaply that something
 * changed. Removing a tenant deletes its row only: its continuation points, exports and delivered keys stay for audit.
 */
public final class TenantStore {

    private static final Logger LOG = LoggerFactory.getLogger(TenantStore.class);
    /** The columns {@link #bind} sets, in its order. */
    private static final String VALUES = "name, enabled, subject_types, credential, sealed_token, cron_subject1, cron_subject2, "
            + "cron_subject3, cron_subject_authorized, initial_from";
    private static final String COLUMNS = "nip, " + VALUES + ", created_at, updated_at";
    private static final List<String> CRON_COLUMNS = List.of("cron_subject1", "cron_subject2", "cron_subject3", "cron_subject_authorized");

    /** What the table looks like, cheaply: equal versions mean no tenant was added, changed or removed in between. */
    public record Version(long tenants, Instant lastChange) {
    }

    /** What {@link #upsert} did with a tenant. */
    public enum Upsert {
        ADDED, UPDATED
    }

    private final DataSource dataSource;

    public TenantStore(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Stores a new tenant; a NIP already stored fails. Returns it as stored (with its times). */
    public Tenant add(Tenant tenant) {
        try (Connection c = dataSource.getConnection()) {
            if (read(c, tenant.nip()).isPresent()) {
                throw exists(tenant.nip());
            }
            return insert(c, tenant, next(c));
        } catch (SQLException e) {
            if (e.getSQLState() != null && e.getSQLState().startsWith("23")) {
                throw exists(tenant.nip());
            }
            throw new IllegalStateException("cannot add tenant " + tenant.nip(), e);
        }
    }

    /** Replaces a stored tenant's values (its creation time stays); an unknown NIP fails. */
    public Tenant update(Tenant tenant) {
        try (Connection c = dataSource.getConnection()) {
            Tenant stored = read(c, tenant.nip()).orElseThrow(() -> unknown(tenant.nip()));
            return replace(c, tenant, stored.createdAt(), next(c));
        } catch (SQLException e) {
            throw new IllegalStateException("cannot update tenant " + tenant.nip(), e);
        }
    }

    /** Adds the tenant, or updates it when its NIP is stored. */
    public Upsert upsert(Tenant tenant) {
        return upsertAll(List.of(tenant)).get(0);
    }

    /** {@link #upsert} of every tenant in one transaction: all are stored, or none. */
    public List<Upsert> upsertAll(List<Tenant> tenants) {
        try (Connection c = dataSource.getConnection()) {
            boolean autoCommit = c.getAutoCommit();
            c.setAutoCommit(false);
            try {
                List<Upsert> done = new ArrayList<>();
                for (Tenant tenant : tenants) {
                    Optional<Tenant> stored = read(c, tenant.nip());
                    if (stored.isPresent()) {
                        replace(c, tenant, stored.get().createdAt(), next(c));
                        done.add(Upsert.UPDATED);
                    } else {
                        insert(c, tenant, next(c));
                        done.add(Upsert.ADDED);
                    }
                }
                c.commit();
                return done;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(autoCommit);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot store " + tenants.size() + " tenants", e);
        }
    }

    public Optional<Tenant> find(String nip) {
        try (Connection c = dataSource.getConnection()) {
            return read(c, nip);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read tenant " + nip, e);
        }
    }

    /** Every tenant, ordered by NIP; a row that is not a valid tenant (edited by hand) fails, naming it. */
    public List<Tenant> list() {
        List<Tenant> tenants = new ArrayList<>();
        for (Map<String, Object> row : rows("ORDER BY nip")) {
            tenants.add(tenant(row));
        }
        return tenants;
    }

    /** The enabled tenants, ordered by NIP; a row that is not a valid tenant is left out with a warning, the others stay. */
    public List<Tenant> enabled() {
        List<Tenant> tenants = new ArrayList<>();
        for (Map<String, Object> row : rows("WHERE enabled = TRUE ORDER BY nip")) {
            try {
                tenants.add(tenant(row));
            } catch (KsefConfigurationException e) {
                LOG.warn("Tenant {} is skipped: {}", row.get("nip"), e.getMessage());
            }
        }
        return tenants;
    }

    /** Enables or disables a tenant; false when it already was so. An unknown NIP fails. */
    public boolean setEnabled(String nip, boolean enabled) {
        try (Connection c = dataSource.getConnection()) {
            Tenant stored = read(c, nip).orElseThrow(() -> unknown(nip));
            if (stored.enabled() == enabled) {
                return false;
            }
            try (PreparedStatement s = c.prepareStatement("UPDATE ksef_tenant SET enabled = ?, updated_at = ? WHERE nip = ?")) {
                s.setBoolean(1, enabled);
                s.setObject(2, utc(next(c)));
                s.setString(3, nip);
                s.executeUpdate();
            }
            return true;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot " + (enabled ? "enable" : "disable") + " tenant " + nip, e);
        }
    }

    /** Deletes the tenant's row; its sync state stays. An unknown NIP fails. */
    public void remove(String nip) {
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement("DELETE FROM ksef_tenant WHERE nip = ?")) {
            s.setString(1, nip);
            if (s.executeUpdate() == 0) {
                throw unknown(nip);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot remove tenant " + nip, e);
        }
    }

    /** Count and newest change of the table: one cheap query. */
    public Version version() {
        try (Connection c = dataSource.getConnection();
             PreparedStatement s = c.prepareStatement("SELECT COUNT(*), MAX(updated_at) FROM ksef_tenant");
             ResultSet r = s.executeQuery()) {
            r.next();
            OffsetDateTime last = r.getObject(2, OffsetDateTime.class);
            return new Version(r.getLong(1), last == null ? null : last.toInstant());
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the version of the tenants", e);
        }
    }

    private Tenant insert(Connection c, Tenant t, Instant now) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("INSERT INTO ksef_tenant (" + VALUES
                + ", nip, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            int i = bind(s, t);
            s.setString(++i, t.nip());
            s.setObject(++i, utc(now));
            s.setObject(++i, utc(now));
            s.executeUpdate();
        }
        return t.withTimes(now, now);
    }

    private Tenant replace(Connection c, Tenant t, Instant createdAt, Instant now) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("UPDATE ksef_tenant SET name = ?, enabled = ?, subject_types = ?, credential = ?, "
                + "sealed_token = ?, cron_subject1 = ?, cron_subject2 = ?, cron_subject3 = ?, cron_subject_authorized = ?, initial_from = ?, "
                + "updated_at = ? WHERE nip = ?")) {
            int i = bind(s, t);
            s.setObject(++i, utc(now));
            s.setString(++i, t.nip());
            s.executeUpdate();
        }
        return t.withTimes(createdAt, now);
    }

    /** Binds the tenant's values of {@link #VALUES}, from the first parameter on; returns the last index bound. */
    private static int bind(PreparedStatement s, Tenant t) throws SQLException {
        int i = 0;
        s.setString(++i, t.name());
        s.setBoolean(++i, t.enabled());
        s.setString(++i, String.join(",", t.subjectTypes()));
        s.setString(++i, t.credential().id());
        s.setString(++i, t.sealedToken());
        for (String subjectType : Tenant.SUBJECT_TYPES) {
            s.setString(++i, t.crons().get(subjectType));
        }
        s.setString(++i, t.initialFrom());
        return i;
    }

    private static Optional<Tenant> read(Connection c, String nip) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT " + COLUMNS + " FROM ksef_tenant WHERE nip = ?")) {
            s.setString(1, nip);
            try (ResultSet r = s.executeQuery()) {
                return r.next() ? Optional.of(tenant(row(r))) : Optional.empty();
            }
        }
    }

    private List<Map<String, Object>> rows(String clause) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement s = c.prepareStatement("SELECT " + COLUMNS + " FROM ksef_tenant " + clause);
             ResultSet r = s.executeQuery()) {
            List<Map<String, Object>> rows = new ArrayList<>();
            while (r.next()) {
                rows.add(row(r));
            }
            return rows;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the tenants", e);
        }
    }

    private static Map<String, Object> row(ResultSet r) throws SQLException {
        Map<String, Object> row = new HashMap<>();
        for (String column : COLUMNS.split(", ")) {
            row.put(column, column.endsWith("_at") ? r.getObject(column, OffsetDateTime.class) : r.getObject(column));
        }
        return row;
    }

    private static Tenant tenant(Map<String, Object> row) {
        Map<String, String> crons = new HashMap<>();
        for (int i = 0; i < CRON_COLUMNS.size(); i++) {
            Object cron = row.get(CRON_COLUMNS.get(i));
            if (cron != null && !cron.toString().isBlank()) {
                crons.put(Tenant.SUBJECT_TYPES.get(i), cron.toString());
            }
        }
        try {
            return new Tenant((String) row.get("nip"), (String) row.get("name"), Boolean.TRUE.equals(row.get("enabled")),
                    Tenant.parseSubjectTypes((String) row.get("subject_types")), Tenant.Credential.of((String) row.get("credential")),
                    (String) row.get("sealed_token"), crons, (String) row.get("initial_from"),
                    ((OffsetDateTime) row.get("created_at")).toInstant(), ((OffsetDateTime) row.get("updated_at")).toInstant());
        } catch (KsefConfigurationException e) {
            throw new KsefConfigurationException("ksef_tenant row " + row.get("nip") + " is not a valid tenant: " + e.getMessage());
        }
    }

    /** Now, or just after the newest change stored when the clock has not moved past it. */
    private static Instant next(Connection c) throws SQLException {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        try (PreparedStatement s = c.prepareStatement("SELECT MAX(updated_at) FROM ksef_tenant"); ResultSet r = s.executeQuery()) {
            OffsetDateTime last = r.next() ? r.getObject(1, OffsetDateTime.class) : null;
            return last == null || now.isAfter(last.toInstant()) ? now : last.toInstant().plus(1, ChronoUnit.MICROS);
        }
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }

    private static KsefConfigurationException exists(String nip) {
        return new KsefConfigurationException("tenant " + nip + " exists already (tenant import updates it, tenant remove removes it)");
    }

    private static KsefConfigurationException unknown(String nip) {
        return new KsefConfigurationException("tenant " + nip + " is unknown (tenant list shows the tenants)");
    }
}
