package dev.ksef.sync.store;

import dev.ksef.sync.export.ExportRun;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The {@code export_run} table: a row when KSeF accepts an export (with its key material sealed, so a restart can
 * resume it), completed with its outcome and counts. Results: RUNNING (still to deliver: resumed by the next run),
 * DONE, NO_DATA, FAILED, EXPIRED (210/410: a new export takes the window), ABANDONED (stuck past the deadline).
 */
public final class ExportLog {

    /** A RUNNING export as stored: enough to poll it again and decrypt its package. */
    public record StoredExport(String referenceNumber, OffsetDateTime from, OffsetDateTime to, OffsetDateTime startedAt, String sealedKey) {
    }

    private final DataSource dataSource;
    private final String node;

    public ExportLog(DataSource dataSource) {
        this(dataSource, null);
    }

    /** @param node this node's name, stored with each export it starts (null: host name and process id) */
    public ExportLog(DataSource dataSource, String node) {
        this.dataSource = dataSource;
        this.node = node == null || node.isBlank() ? defaultNode() : node.strip();
    }

    private static String defaultNode() {
        String host;
        try {
            host = java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            host = "localhost";
        }
        return host + ":" + ProcessHandle.current().pid();
    }

    public void started(ExportRun run, String sealedKey) {
        update(run.referenceNumber, "INSERT INTO export_run (reference_number, context_nip, subject_type, window_from, window_to, started_at, result, sealed_key, "
                        + "run_node) VALUES (?, ?, ?, ?, ?, ?, 'RUNNING', ?, ?)",
                run.referenceNumber, run.nip, run.subjectType, run.from, run.to, run.acceptedAt, sealedKey, node);
    }

    /** The newest export of the context's subject type still to be delivered, if any. */
    public Optional<StoredExport> resumable(String nip, String subjectType) {
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(
                "SELECT reference_number, window_from, window_to, started_at, sealed_key FROM export_run "
                        + "WHERE context_nip = ? AND subject_type = ? AND result = 'RUNNING' ORDER BY started_at DESC")) {
            s.setString(1, nip);
            s.setString(2, subjectType);
            try (ResultSet r = s.executeQuery()) {
                return r.next() ? Optional.of(new StoredExport(r.getString(1), utc(r.getObject(2, OffsetDateTime.class)),
                        utc(r.getObject(3, OffsetDateTime.class)), utc(r.getObject(4, OffsetDateTime.class)), r.getString(5))) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the running exports of " + subjectType, e);
        }
    }

    /** Exports KSeF may still count as running in the context (RUNNING, or ABANDONED less than {@code retention} ago), all subject types. */
    public int inFlight(String nip, Duration retention) {
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(
                "SELECT COUNT(*) FROM export_run WHERE context_nip = ? AND (result = 'RUNNING' OR (result = 'ABANDONED' AND started_at > ?))")) {
            s.setString(1, nip);
            s.setObject(2, now().minus(retention));
            try (ResultSet r = s.executeQuery()) {
                r.next();
                return r.getInt(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot count running exports", e);
        }
    }

    /** A stored export that cannot be resumed is closed with its result; its key material goes. */
    public void closed(String referenceNumber, String result, String error) {
        update(referenceNumber, "UPDATE export_run SET finished_at = ?, result = ?, error = ?, sealed_key = NULL WHERE reference_number = ?",
                now(), result, truncate(error), referenceNumber);
    }

    /** A run failed but the export stays resumable: only the error is noted. */
    public void interrupted(ExportRun run, String error) {
        update(run.referenceNumber, "UPDATE export_run SET error = ? WHERE reference_number = ? AND result = 'RUNNING'", truncate(error), run.referenceNumber);
    }

    public void finished(ExportRun run, String result, String error) {
        var p = run.status == null ? null : run.status.invoicePackage();
        update(run.referenceNumber, "UPDATE export_run SET finished_at = ?, status_code = ?, result = ?, truncated = ?, parts = ?, invoices = ?, published = ?, "
                        + "duplicates = ?, quarantined = ?, new_continuation_point = ?, error = ?, sealed_key = NULL WHERE reference_number = ?",
                now(), run.statusCode(), result, p == null ? null : p.isTruncated(), p == null ? null : p.parts().size(),
                run.invoices, run.published, run.duplicates, run.quarantined, run.newContinuationPoint,
                truncate(error), run.referenceNumber);
    }

    private void update(String referenceNumber, String sql, Object... values) {
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < values.length; i++) {
                Object v = values[i];
                if (v == null) {
                    s.setNull(i + 1, Types.NULL);
                } else if (v instanceof OffsetDateTime t) {
                    s.setObject(i + 1, t.withOffsetSameInstant(ZoneOffset.UTC));
                } else {
                    s.setObject(i + 1, v);
                }
            }
            s.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot record export " + referenceNumber, e);
        }
    }

    private static String truncate(String error) {
        return error == null ? null : error.substring(0, Math.min(1000, error.length()));
    }

    private static OffsetDateTime utc(OffsetDateTime t) {
        return t == null ? null : t.withOffsetSameInstant(ZoneOffset.UTC);
    }

    private static OffsetDateTime now() {
        return OffsetDateTime.now(ZoneOffset.UTC);
    }
}
