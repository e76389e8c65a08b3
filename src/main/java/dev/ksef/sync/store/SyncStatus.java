package dev.ksef.sync.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

/** What {@code status} reports per (context NIP, subject type), read from the store alone (no KSeF call, no broker). */
public final class SyncStatus {

    private SyncStatus() {
    }

    public static List<Map<String, Object>> read(DataSource dataSource, String nip, List<String> subjectTypes) throws SQLException {
        List<Map<String, Object>> rows = new ArrayList<>();
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        try (Connection c = dataSource.getConnection()) {
            for (String subjectType : subjectTypes) {
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("nip", nip);
                row.put("subjectType", subjectType);
                OffsetDateTime point = null;
                try (PreparedStatement s = c.prepareStatement("SELECT point FROM continuation_point WHERE context_nip = ? AND subject_type = ?")) {
                    s.setString(1, nip);
                    s.setString(2, subjectType);
                    try (ResultSet r = s.executeQuery()) {
                        if (r.next()) {
                            point = r.getObject(1, OffsetDateTime.class).withOffsetSameInstant(ZoneOffset.UTC);
                        }
                    }
                }
                row.put("continuationPoint", point == null ? null : point.toString());
                row.put("lagSeconds", point == null ? null : Duration.between(point, now).toSeconds());
                try (PreparedStatement s = c.prepareStatement("SELECT reference_number, result, status_code, invoices, published, duplicates, "
                        + "quarantined FROM export_run WHERE context_nip = ? AND subject_type = ? ORDER BY started_at DESC LIMIT 1")) {
                    s.setString(1, nip);
                    s.setString(2, subjectType);
                    try (ResultSet r = s.executeQuery()) {
                        if (r.next()) {
                            Map<String, Object> last = new LinkedHashMap<>();
                            last.put("referenceNumber", r.getString(1));
                            last.put("result", r.getString(2));
                            last.put("statusCode", r.getObject(3));
                            last.put("invoices", r.getObject(4));
                            last.put("published", r.getObject(5));
                            last.put("duplicates", r.getObject(6));
                            last.put("quarantined", r.getObject(7));
                            row.put("lastExport", last);
                        } else {
                            row.put("lastExport", null);
                        }
                    }
                }
                try (PreparedStatement s = c.prepareStatement("SELECT COALESCE(SUM(published), 0) FROM export_run WHERE context_nip = ? AND subject_type = ?")) {
                    s.setString(1, nip);
                    s.setString(2, subjectType);
                    try (ResultSet r = s.executeQuery()) {
                        r.next();
                        row.put("publishedTotal", r.getLong(1));
                    }
                }
                row.put("lastReconciliation", ReconcileLog.latest(c, nip, subjectType));
                rows.add(row);
            }
        }
        return rows;
    }
}
