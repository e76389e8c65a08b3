package dev.ksef.sync.schedule;

import dev.ksef.sync.auth.KsefSessions;
import dev.ksef.sync.export.ExportPlanner;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;
import org.apache.camel.Exchange;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * At most one run of a (context NIP, subject type) at a time, on this node and across the cluster. On PostgreSQL a
 * session advisory lock per (NIP, subject type), all of this node's taken on one database session the fence keeps open
 * (so a thousand runs at once need one connection, not a thousand): a node paused past its Quartz check-in keeps its
 * session and so its locks, while a killed node's session ends and frees them. A set of the runs in progress on this
 * node comes first, so the session never takes a key twice (advisory locks are re-entrant within a session). Other
 * databases (the embedded H2) serve one node, where that set is the fence. A run that finds its fence taken is skipped;
 * the next fire tries again.
 */
public final class RunFence extends ServiceSupport {

    public static final String HELD = "ksefFenceHeld";
    private static final String RELEASED = "ksefFenceReleased";
    /** The high bits of the bundle's advisory-lock keys ("KS"), apart from whatever else takes advisory locks. */
    private static final long NAMESPACE = 0x4B53L << 48;
    private static final List<String> SUBJECT_TYPES = List.of("Subject1", "Subject2", "Subject3", "SubjectAuthorized");
    private static final Logger LOG = LoggerFactory.getLogger("dev.ksef.sync.schedule");

    private final DataSource dataSource;
    private final Set<String> local = ConcurrentHashMap.newKeySet();
    private volatile Boolean postgres;
    /** This node's session holding its advisory locks (PostgreSQL), guarded by {@code this}. */
    private Connection session;

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
            try {
                held = lock(lockKey(nip, subjectType));
            } catch (SQLException | RuntimeException e) {
                local.remove(run);
                throw e;
            }
            if (!held) {
                local.remove(run);
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
        try {
            if (Boolean.TRUE.equals(postgres)) {
                unlock(nip, subjectType);
            }
        } finally {
            local.remove(nip + " " + subjectType);
        }
    }

    /** pg_try_advisory_lock on this node's session; a session found broken (its locks gone with it) is replaced once. */
    private synchronized boolean lock(long key) throws SQLException {
        for (int attempt = 1; ; attempt++) {
            try {
                if (session == null) {
                    session = dataSource.getConnection();
                    session.setAutoCommit(true);
                }
                try (PreparedStatement s = session.prepareStatement("SELECT pg_try_advisory_lock(?)")) {
                    s.setLong(1, key);
                    try (ResultSet r = s.executeQuery()) {
                        return r.next() && r.getBoolean(1);
                    }
                }
            } catch (SQLException e) {
                boolean broken = session == null || !session.isValid(2);
                if (!broken || attempt > 1) {
                    throw e;
                }
                LOG.warn("The run fence's database session was lost ({}): the runs in progress on this node lost their locks; taking a new session",
                        e.getMessage());
                endSession();
            }
        }
    }

    private synchronized void unlock(String nip, String subjectType) {
        if (session == null) {
            return;
        }
        try (PreparedStatement s = session.prepareStatement("SELECT pg_advisory_unlock(?)")) {
            s.setLong(1, lockKey(nip, subjectType));
            s.execute();
        } catch (SQLException e) {
            // a broken session has freed its locks already; the next run's lock takes a new one
            LOG.debug("{} {}: advisory unlock failed: {}", nip, subjectType, e.getMessage());
        }
    }

    /** When the bundle stops (after the scheduler, whose runs are over): the session ends. */
    @Override
    protected void doStop() {
        endSession();
    }

    /**
     * Gives every lock of this node back and the session to its pool (a pooled connection stays open: its locks
     * would stay with it); the next run takes a new one.
     */
    synchronized void endSession() {
        if (session != null) {
            try (Statement s = session.createStatement()) {
                s.execute("SELECT pg_advisory_unlock_all()");
            } catch (SQLException e) {
                LOG.debug("releasing the run fence's locks: {}", e.getMessage());
            }
            try {
                session.close();
            } catch (SQLException e) {
                LOG.debug("closing the run fence's session: {}", e.getMessage());
            }
            session = null;
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
