package dev.ksef.sync.schedule;

import dev.ksef.sync.auth.KsefSessions;
import dev.ksef.sync.export.ExportPlanner;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * At most one run of a (context NIP, subject type) at a time, on this node and across the cluster. On PostgreSQL a
 * session advisory lock is taken on a connection held for the whole run: a node paused past its Quartz check-in keeps
 * its session and so its lock, while a killed node's session ends and frees it. Other databases (the embedded H2)
 * serve one node, where a set of the runs in progress is the fence. A run that finds its fence taken is skipped; the
 * next fire tries again.
 */
public final class RunFence {

    public static final String HELD = "ksefFenceHeld";
    private static final String CONNECTION = "ksefFenceConnection";
    private static final String RELEASED = "ksefFenceReleased";
    /** The high bits of the bundle's advisory-lock keys ("KS"), apart from whatever else takes advisory locks. */
    private static final long NAMESPACE = 0x4B53L << 48;
    private static final List<String> SUBJECT_TYPES = List.of("Subject1", "Subject2", "Subject3", "SubjectAuthorized");
    private static final Logger LOG = LoggerFactory.getLogger("dev.ksef.sync.schedule");

    private final DataSource dataSource;
    private final Set<String> local = ConcurrentHashMap.newKeySet();
    private volatile Boolean postgres;

    public RunFence(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Takes the fence of the exchange's (NIP, subject type); sets {@code ksefFenceHeld} to whether it did. */
    public boolean enter(Exchange exchange) throws SQLException {
        String nip = exchange.getProperty(KsefSessions.CONTEXT_NIP, String.class);
        String subjectType = exchange.getProperty(ExportPlanner.SUBJECT_TYPE, String.class);
        String run = nip + " " + subjectType;
        boolean held = local.add(run);
        if (held && postgres()) {
            Connection connection = dataSource.getConnection();
            try (PreparedStatement s = connection.prepareStatement("SELECT pg_try_advisory_lock(?)")) {
                connection.setAutoCommit(true);
                s.setLong(1, lockKey(nip, subjectType));
                try (ResultSet r = s.executeQuery()) {
                    held = r.next() && r.getBoolean(1);
                }
            } catch (SQLException | RuntimeException e) {
                local.remove(run);
                connection.close();
                throw e;
            }
            if (held) {
                exchange.setProperty(CONNECTION, connection);
            } else {
                local.remove(run);
                connection.close();
            }
        }
        exchange.setProperty(HELD, held);
        if (!held) {
            LOG.info("{}: already running {}; this fire is skipped", run, postgres() ? "on this or another node" : "on this node");
        }
        return held;
    }

    /** Gives the fence back (after the run, whatever its outcome). */
    public void leave(Exchange exchange) {
        // HELD stays as it was: it tells the caller that this run ran (the fence is given back once)
        if (!exchange.getProperty(HELD, false, Boolean.class) || exchange.getProperty(RELEASED, false, Boolean.class)) {
            return;
        }
        exchange.setProperty(RELEASED, true);
        String nip = exchange.getProperty(KsefSessions.CONTEXT_NIP, String.class);
        String subjectType = exchange.getProperty(ExportPlanner.SUBJECT_TYPE, String.class);
        Connection connection = exchange.getProperty(CONNECTION, Connection.class);
        exchange.removeProperty(CONNECTION);
        try {
            if (connection != null) {
                try (connection; PreparedStatement s = connection.prepareStatement("SELECT pg_advisory_unlock(?)")) {
                    s.setLong(1, lockKey(nip, subjectType));
                    s.execute();
                } catch (SQLException e) {
                    // the session is gone, and its lock with it
                    LOG.debug("{} {}: advisory unlock failed: {}", nip, subjectType, e.getMessage());
                }
            }
        } finally {
            local.remove(nip + " " + subjectType);
        }
    }

    /** A key per (NIP, subject type), exact (a NIP has ten digits), under the bundle's namespace. */
    static long lockKey(String nip, String subjectType) {
        int index = SUBJECT_TYPES.indexOf(subjectType);
        if (index < 0 || !nip.matches("\\d{10}")) {
            throw new IllegalArgumentException("no run fence for '" + nip + "' '" + subjectType + "'");
        }
        return NAMESPACE | (Long.parseLong(nip) * 4 + index);
    }

    private boolean postgres() throws SQLException {
        Boolean p = postgres;
        if (p == null) {
            try (Connection c = dataSource.getConnection()) {
                p = c.getMetaData().getDatabaseProductName().toLowerCase(java.util.Locale.ROOT).contains("postgres");
            }
            postgres = p;
        }
        return p;
    }
}
