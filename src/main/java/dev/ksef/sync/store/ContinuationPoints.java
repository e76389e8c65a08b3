package dev.ksef.sync.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The continuation point of each (context NIP, subject type): where its next export window starts. It moves only after every
 * invoice of a package is on the broker. Before the first sync it is {@code ksef.sync.initial-from}: an ISO-8601
 * instant, or a duration back from now such as {@code P30D}.
 */
public final class ContinuationPoints {

    private final DataSource dataSource;
    private final String initialFrom;

    public ContinuationPoints(DataSource dataSource, String initialFrom) {
        this.dataSource = dataSource;
        this.initialFrom = initialFrom;
    }

    public OffsetDateTime current(String nip, String subjectType) {
        return current(nip, subjectType, null);
    }

    /** The stored point, else {@code initialFrom} (when given: the tenant's or a Kamelet's), else the configured start. */
    public OffsetDateTime current(String nip, String subjectType, String initialFrom) {
        String start = initialFrom == null || initialFrom.isBlank() ? this.initialFrom : initialFrom;
        return stored(nip, subjectType).orElseGet(() -> initial(start, OffsetDateTime.now(ZoneOffset.UTC)));
    }

    public Optional<OffsetDateTime> stored(String nip, String subjectType) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement s = c.prepareStatement("SELECT point FROM continuation_point WHERE context_nip = ? AND subject_type = ?")) {
            s.setString(1, nip);
            s.setString(2, subjectType);
            try (ResultSet r = s.executeQuery()) {
                return r.next() ? Optional.of(r.getObject(1, OffsetDateTime.class).withOffsetSameInstant(ZoneOffset.UTC)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the continuation point of " + nip + " " + subjectType, e);
        }
    }

    /** Every stored point, keyed {@code <nip>.<subjectType>} (one query: the health check and gauges of many tenants). */
    public java.util.Map<String, OffsetDateTime> all() {
        java.util.Map<String, OffsetDateTime> points = new java.util.HashMap<>();
        try (Connection c = dataSource.getConnection();
             PreparedStatement s = c.prepareStatement("SELECT context_nip, subject_type, point FROM continuation_point");
             ResultSet r = s.executeQuery()) {
            while (r.next()) {
                points.put(r.getString(1) + "." + r.getString(2), r.getObject(3, OffsetDateTime.class).withOffsetSameInstant(ZoneOffset.UTC));
            }
            return points;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the continuation points", e);
        }
    }

    /**
     * Stores the new point; it never moves backwards. A compare-and-set in one statement, so that a run that lost its
     * fence (a node paused past its check-in) can never move a point another node has moved further.
     */
    public void advance(String nip, String subjectType, OffsetDateTime point) {
        OffsetDateTime utc = point.withOffsetSameInstant(ZoneOffset.UTC);
        try (Connection c = dataSource.getConnection()) {
            for (int attempt = 0; attempt < 2; attempt++) {
                try (PreparedStatement s = c.prepareStatement(
                        "UPDATE continuation_point SET point = ?, updated_at = ? WHERE context_nip = ? AND subject_type = ? AND point < ?")) {
                    s.setObject(1, utc);
                    s.setObject(2, OffsetDateTime.now(ZoneOffset.UTC));
                    s.setString(3, nip);
                    s.setString(4, subjectType);
                    s.setObject(5, utc);
                    if (s.executeUpdate() > 0 || stored(nip, subjectType).isPresent()) {
                        return;
                    }
                }
                try (PreparedStatement s = c.prepareStatement(
                        "INSERT INTO continuation_point (context_nip, subject_type, point, updated_at) VALUES (?, ?, ?, ?)")) {
                    s.setString(1, nip);
                    s.setString(2, subjectType);
                    s.setObject(3, utc);
                    s.setObject(4, OffsetDateTime.now(ZoneOffset.UTC));
                    s.executeUpdate();
                    return;
                } catch (SQLException e) {
                    if (!"23505".equals(e.getSQLState())) {
                        throw e;
                    }
                    // another run inserted the first point meanwhile: compare with it
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot store the continuation point of " + nip + " " + subjectType, e);
        }
    }

    static OffsetDateTime initial(String setting, OffsetDateTime now) {
        String value = setting == null || setting.isBlank() ? "P30D" : setting.trim();
        if (value.startsWith("P") || value.startsWith("p")) {
            return now.minus(Duration.parse(value));
        }
        return OffsetDateTime.parse(value).withOffsetSameInstant(ZoneOffset.UTC);
    }
}
