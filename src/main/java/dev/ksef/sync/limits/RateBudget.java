package dev.ksef.sync.limits;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import javax.sql.DataSource;

/**
 * KSeF's rate limits, kept before KSeF has to enforce them: per scope (the context NIP, as KSeF counts per context and
 * IP; empty for what it counts per IP alone) and endpoint group, sliding windows of 1 s, 1 min and 1 h,
 * all counted in the JDBC store so that a restart, or a second instance on the same database, sees the calls already
 * made. A group's row is locked while a call is admitted, which serialises instances. A 429 from KSeF blocks the group
 * until its {@code Retry-After} has passed. A call that would have to wait longer than {@code maxWait} is refused with
 * {@link RateBudgetExceededException} instead of being made.
 */
public final class RateBudget {

    /** Calls allowed per second, minute and hour; 0 means no limit in that window. */
    public record Limits(int perSecond, int perMinute, int perHour) {

        /** {@code "8/16/20"}. */
        public static Limits parse(String value) {
            String[] p = value.trim().split("/");
            if (p.length != 3) {
                throw new IllegalArgumentException("rate limit must be perSecond/perMinute/perHour, got '" + value + "'");
            }
            return new Limits(Integer.parseInt(p[0].trim()), Integer.parseInt(p[1].trim()), Integer.parseInt(p[2].trim()));
        }
    }

    /** How the budget waits; tests pass one that moves their clock. */
    public interface Sleeper {
        void sleep(long millis) throws InterruptedException;
    }

    private static final long[] WINDOWS = {1_000, 60_000, 3_600_000};
    /**
     * How much longer than each window the budget counts a call: KSeF counts a call when it arrives, later than the
     * budget admitted it, and by a latency that differs from call to call, so a call admitted the very millisecond a
     * window lets it could still find the limit full at KSeF.
     */
    private static final long[] GUARDS = {25, 250, 1_000};

    private final DataSource dataSource;
    private final Map<String, Limits> limits;
    private final Duration maxWait;
    private final Clock clock;
    private final Sleeper sleeper;
    private final java.util.Set<String> known = java.util.concurrent.ConcurrentHashMap.newKeySet();

    public RateBudget(DataSource dataSource, Map<String, Limits> limits, Duration maxWait, Clock clock, Sleeper sleeper) {
        this.dataSource = dataSource;
        this.limits = Map.copyOf(limits);
        this.maxWait = maxWait;
        this.clock = clock;
        this.sleeper = sleeper;
    }

    /** {@link #acquire(String, String)} in the empty scope. */
    public long acquire(String group) throws InterruptedException {
        return acquire("", group);
    }

    /**
     * Waits until a call of {@code group} in {@code scope} fits the budget and is not blocked, then counts it; returns the
     * milliseconds waited. A group {@code base:endpoint} (e.g. {@code auth:challenge}) has its own counter with the
     * limits of {@code base}.
     */
    public long acquire(String scope, String group) throws InterruptedException {
        Limits l = limitsOf(group);
        long deadline = clock.millis() + maxWait.toMillis();
        long waited = 0;
        while (true) {
            long wait = tryAcquire(scope, group, l);
            if (wait <= 0) {
                return waited;
            }
            if (clock.millis() + wait > deadline) {
                throw new RateBudgetExceededException(group, Duration.ofMillis(wait), maxWait);
            }
            sleeper.sleep(wait);
            waited += wait;
        }
    }

    /** KSeF answered 429: no call of {@code group} before {@code retryAfter} has passed (a longer block already stored stays). */
    public void blocked(String group, Duration retryAfter) {
        blocked("", group, retryAfter);
    }

    /** KSeF answered 429 in {@code scope}: no call of {@code group} there before {@code retryAfter} has passed. */
    public void blocked(String scope, String group, Duration retryAfter) {
        limitsOf(group);
        ensureRow(scope, group);
        long until = clock.millis() + retryAfter.toMillis();
        execute("UPDATE rate_limit_scope SET blocked_until_ms = ? WHERE scope = ? AND limit_group = ? AND blocked_until_ms < ?",
                until, scope, group, until);
    }

    /** 0 when the call was admitted and counted, else the milliseconds to wait before asking again. */
    private long tryAcquire(String scope, String group, Limits l) {
        ensureRow(scope, group);
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                long wait = admit(c, scope, group, l, clock.millis());
                c.commit();
                return wait;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot update the rate budget of " + group, e);
        }
    }

    private long admit(Connection c, String scope, String group, Limits l, long now) throws SQLException {
        long blockedUntil;
        try (PreparedStatement s = c.prepareStatement(
                "SELECT blocked_until_ms FROM rate_limit_scope WHERE scope = ? AND limit_group = ? FOR UPDATE")) {
            s.setString(1, scope);
            s.setString(2, group);
            try (ResultSet r = s.executeQuery()) {
                if (!r.next()) {
                    throw new IllegalStateException("rate limit group " + group + " is not in the store");
                }
                blockedUntil = r.getLong(1);
            }
        }
        if (blockedUntil > now) {
            return blockedUntil - now;
        }
        int[] max = {l.perSecond(), l.perMinute(), l.perHour()};
        int keep = Math.max(max[0], Math.max(max[1], max[2]));
        long wait = 0;
        if (keep > 0) {
            long[] recent = recentCalls(c, scope, group, now - WINDOWS[2] - GUARDS[2], keep);
            for (int w = 0; w < WINDOWS.length; w++) {
                long window = WINDOWS[w] + GUARDS[w];
                if (max[w] > 0 && recent.length >= max[w] && recent[max[w] - 1] > now - window) {
                    wait = Math.max(wait, recent[max[w] - 1] + window - now + 1);
                }
            }
        }
        if (wait > 0) {
            return wait;
        }
        execute(c, "INSERT INTO rate_limit_call (scope, limit_group, called_at_ms) VALUES (?, ?, ?)", scope, group, now);
        execute(c, "DELETE FROM rate_limit_call WHERE scope = ? AND limit_group = ? AND called_at_ms < ?", scope, group, now - 2 * WINDOWS[2]);
        return 0;
    }

    /** The newest {@code limit} calls of the group since {@code since}, newest first. */
    private static long[] recentCalls(Connection c, String scope, String group, long since, int limit) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT called_at_ms FROM rate_limit_call "
                + "WHERE scope = ? AND limit_group = ? AND called_at_ms > ? ORDER BY called_at_ms DESC")) {
            s.setString(1, scope);
            s.setString(2, group);
            s.setLong(3, since);
            s.setMaxRows(limit);
            try (ResultSet r = s.executeQuery()) {
                long[] calls = new long[limit];
                int n = 0;
                while (n < limit && r.next()) {
                    calls[n++] = r.getLong(1);
                }
                return java.util.Arrays.copyOf(calls, n);
            }
        }
    }

    /** The (scope, group) row the admission locks, created at its first use (a concurrent creation is fine). */
    private void ensureRow(String scope, String group) {
        String key = scope + "|" + group;
        if (known.contains(key)) {
            return;
        }
        try (Connection c = dataSource.getConnection()) {
            execute(c, "INSERT INTO rate_limit_scope (scope, limit_group, blocked_until_ms) SELECT ?, ?, 0 "
                    + "WHERE NOT EXISTS (SELECT 1 FROM rate_limit_scope WHERE scope = ? AND limit_group = ?)", scope, group, scope, group);
        } catch (SQLException e) {
            if (!"23505".equals(e.getSQLState())) {
                throw new IllegalStateException("cannot update the rate budget of " + group, e);
            }
        }
        known.add(key);
    }

    private Limits limitsOf(String group) {
        int base = group.indexOf(':');
        Limits l = limits.get(base < 0 ? group : group.substring(0, base));
        if (l == null) {
            throw new IllegalArgumentException("no rate limits configured for KSeF endpoint group " + group);
        }
        return l;
    }

    private void execute(String sql, Object... values) {
        try (Connection c = dataSource.getConnection()) {
            execute(c, sql, values);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot update the rate budget", e);
        }
    }

    private static void execute(Connection c, String sql, Object... values) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < values.length; i++) {
                s.setObject(i + 1, values[i]);
            }
            s.executeUpdate();
        }
    }
}
