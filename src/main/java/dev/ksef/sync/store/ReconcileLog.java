package dev.ksef.sync.store;

import dev.ksef.sync.reconcile.ReconcileRun;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.sql.DataSource;

/**
 * The {@code reconcile_run} and {@code reconcile_invoice} tables: one row per reconciliation of a (context, subject
 * type) with its window, result and counts, and one per invoice it found listed but never delivered, in one
 * transaction. What {@code status}, the health check {@code ksef-reconcile} and an auditor read.
 */
public final class ReconcileLog {

    private final DataSource dataSource;

    public ReconcileLog(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    public void store(ReconcileRun run, Instant finishedAt) {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement s = c.prepareStatement("INSERT INTO reconcile_run (context_nip, subject_type, started_at, finished_at, "
                    + "window_from, window_to, result, listed, missing, healed, quarantined, failed, note) "
                    + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", new String[] {"id"})) {
                s.setString(1, run.nip);
                s.setString(2, run.subjectType);
                s.setObject(3, utc(run.startedAt));
                s.setObject(4, utc(finishedAt));
                s.setObject(5, run.from);
                s.setObject(6, run.to);
                s.setString(7, run.result);
                s.setInt(8, run.listed);
                s.setInt(9, run.missing);
                s.setInt(10, run.healed);
                s.setInt(11, run.quarantined);
                s.setInt(12, run.failed);
                s.setString(13, cut(run.failure != null ? run.failure : run.skipped));
                s.executeUpdate();
                long id;
                try (ResultSet keys = s.getGeneratedKeys()) {
                    keys.next();
                    id = keys.getLong(1);
                }
                try (PreparedStatement i = c.prepareStatement("INSERT INTO reconcile_invoice (run_id, ksef_number, outcome, reason) VALUES (?, ?, ?, ?)")) {
                    for (ReconcileRun.Invoice invoice : run.invoices) {
                        i.setLong(1, id);
                        i.setString(2, invoice.ksefNumber());
                        i.setString(3, invoice.outcome());
                        i.setString(4, cut(invoice.reason()));
                        i.addBatch();
                    }
                    i.executeBatch();
                }
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot store the reconciliation of " + run.nip + " " + run.subjectType + ": " + e.getMessage(), e);
        }
    }

    /** The newest reconciliation of the pair (null when there was none), with its invoices delivered in total. */
    public Map<String, Object> latest(String nip, String subjectType) {
        try (Connection c = dataSource.getConnection()) {
            return latest(c, nip, subjectType);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the reconciliations of " + nip + " " + subjectType, e);
        }
    }

    static Map<String, Object> latest(Connection c, String nip, String subjectType) throws SQLException {
        Map<String, Object> last = null;
        try (PreparedStatement s = c.prepareStatement("SELECT finished_at, window_from, window_to, result, listed, missing, healed, quarantined, "
                + "failed, note FROM reconcile_run WHERE context_nip = ? AND subject_type = ? ORDER BY started_at DESC, id DESC LIMIT 1")) {
            s.setString(1, nip);
            s.setString(2, subjectType);
            try (ResultSet r = s.executeQuery()) {
                if (r.next()) {
                    last = new LinkedHashMap<>();
                    last.put("at", text(r.getObject(1, OffsetDateTime.class)));
                    last.put("from", text(r.getObject(2, OffsetDateTime.class)));
                    last.put("to", text(r.getObject(3, OffsetDateTime.class)));
                    last.put("result", r.getString(4));
                    last.put("listed", r.getInt(5));
                    last.put("missing", r.getInt(6));
                    last.put("healed", r.getInt(7));
                    last.put("quarantined", r.getInt(8));
                    last.put("failed", r.getInt(9));
                    last.put("note", r.getString(10));
                }
            }
        }
        if (last != null) {
            try (PreparedStatement s = c.prepareStatement("SELECT COALESCE(SUM(healed), 0) FROM reconcile_run WHERE context_nip = ? AND subject_type = ?")) {
                s.setString(1, nip);
                s.setString(2, subjectType);
                try (ResultSet r = s.executeQuery()) {
                    r.next();
                    last.put("healedTotal", r.getLong(1));
                }
            }
        }
        return last;
    }

    private static String text(OffsetDateTime t) {
        return t == null ? null : t.withOffsetSameInstant(ZoneOffset.UTC).toString();
    }

    private static OffsetDateTime utc(Instant t) {
        return t.atOffset(ZoneOffset.UTC);
    }

    private static String cut(String text) {
        return text == null || text.length() <= 1000 ? text : text.substring(0, 1000);
    }
}
