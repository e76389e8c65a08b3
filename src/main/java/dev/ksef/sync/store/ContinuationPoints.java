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
 * The continuation point of each subject type: where its next export window starts. It moves only after every
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

    public OffsetDateTime current(String subjectType) {
        return current(subjectType, null);
    }

    /** The stored point, else {@code initialFrom} (when given; a Kamelet's parameter), else the configured start. */
    public OffsetDateTime current(String subjectType, String initialFrom) {
        String start = initialFrom == null || initialFrom.isBlank() ? this.initialFrom : initialFrom;
        return stored(subjectType).orElseGet(() -> initial(start, OffsetDateTime.now(ZoneOffset.UTC)));
    }

    public Optional<OffsetDateTime> stored(String subjectType) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement s = c.prepareStatement("SELECT point FROM continuation_point WHERE subject_type = ?")) {
            s.setString(1, subjectType);
            try (ResultSet r = s.executeQuery()) {
                return r.next() ? Optional.of(r.getObject(1, OffsetDateTime.class).withOffsetSameInstant(ZoneOffset.UTC)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the continuation point of " + subjectType, e);
        }
    }

    /** Stores the new point; it never moves backwards. */
    public void advance(String subjectType, OffsetDateTime point) {
        Optional<OffsetDateTime> current = stored(subjectType);
        if (current.isPresent() && !point.isAfter(current.get())) {
            return;
        }
        String sql = current.isPresent()
                ? "UPDATE continuation_point SET point = ?, updated_at = ? WHERE subject_type = ?"
                : "INSERT INTO continuation_point (point, updated_at, subject_type) VALUES (?, ?, ?)";
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
            s.setObject(1, point.withOffsetSameInstant(ZoneOffset.UTC));
            s.setObject(2, OffsetDateTime.now(ZoneOffset.UTC));
            s.setString(3, subjectType);
            s.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot store the continuation point of " + subjectType, e);
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
