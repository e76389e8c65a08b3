package dev.ksef.sync.store;

import dev.ksef.sync.export.ExportRun;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import javax.sql.DataSource;

/** The {@code export_run} table: a row when KSeF accepts an export, completed with its outcome and counts. */
public final class ExportLog {

    private final DataSource dataSource;

    public ExportLog(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    public void started(ExportRun run) {
        update(run, "INSERT INTO export_run (reference_number, subject_type, window_from, window_to, started_at, result) VALUES (?, ?, ?, ?, ?, 'RUNNING')",
                run.referenceNumber, run.subjectType, run.from, run.to, now());
    }

    public void finished(ExportRun run, String result, String error) {
        var p = run.status == null ? null : run.status.invoicePackage();
        update(run, "UPDATE export_run SET finished_at = ?, status_code = ?, result = ?, truncated = ?, parts = ?, invoices = ?, published = ?, "
                        + "duplicates = ?, quarantined = ?, new_continuation_point = ?, error = ? WHERE reference_number = ?",
                now(), run.statusCode(), result, p == null ? null : p.isTruncated(), p == null ? null : p.parts().size(),
                run.invoices, run.published, run.duplicates, run.quarantined, run.newContinuationPoint,
                error == null ? null : error.substring(0, Math.min(1000, error.length())), run.referenceNumber);
    }

    private void update(ExportRun run, String sql, Object... values) {
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
            throw new IllegalStateException("cannot record export " + run.referenceNumber, e);
        }
    }

    private static OffsetDateTime now() {
        return OffsetDateTime.now(ZoneOffset.UTC);
    }
}
