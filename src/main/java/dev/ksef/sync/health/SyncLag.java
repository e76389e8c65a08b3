package dev.ksef.sync.health;

import dev.ksef.sync.KsefConfigurationException;
import dev.ksef.sync.store.ContinuationPoints;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * How far each enabled subject type's continuation point is behind now, and how far it may be before the readiness
 * check {@code ksef-sync-lag} is DOWN: {@code ksef.health.<subjectType>.max-lag} when set, else
 * {@code ksef.health.max-lag}. Before a subject type's first completed export there is no continuation point; its lag
 * then counts from when the bundle started, so a fresh installation is ready until its first sync is late. Read from
 * the store on every call (the check and the {@code ksef.sync.lag} gauge).
 */
public final class SyncLag {

    /** One subject type's lag; {@code continuationPoint} is null before its first sync. */
    public record Lag(String subjectType, OffsetDateTime continuationPoint, Duration lag, Duration maxLag) {

        public boolean late() {
            return lag.compareTo(maxLag) > 0;
        }
    }

    private final ContinuationPoints points;
    private final Map<String, Duration> maxLag;
    private final Clock clock;
    private final Instant started;

    /** {@code maxLag}: the enabled subject types, in order, with the lag each may have. */
    public SyncLag(ContinuationPoints points, Map<String, Duration> maxLag, Clock clock) {
        this.points = points;
        this.maxLag = new LinkedHashMap<>(maxLag);
        this.clock = clock;
        this.started = clock.instant();
    }

    /** The subject types of {@code ksef.subject-types} with their {@code ksef.health.*max-lag} settings. */
    public static SyncLag configured(ContinuationPoints points, Function<String, String> settings, Clock clock) {
        Map<String, Duration> maxLag = new LinkedHashMap<>();
        for (String subjectType : subjectTypes(settings)) {
            String key = "ksef.health." + subjectType + ".max-lag";
            if (settings.apply(key).isBlank()) {
                key = "ksef.health.max-lag";
            }
            String value = settings.apply(key).strip();
            try {
                maxLag.put(subjectType, Duration.parse(value.isEmpty() ? "P1DT2H" : value));
            } catch (DateTimeParseException e) {
                throw new KsefConfigurationException(key + " must be an ISO-8601 duration such as PT2H, not '" + value + "'");
            }
        }
        return new SyncLag(points, maxLag, clock);
    }

    /** {@code ksef.subject-types}: the subject types the bundle syncs. */
    public static List<String> subjectTypes(Function<String, String> settings) {
        return Arrays.stream(settings.apply("ksef.subject-types").split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
    }

    public List<String> subjectTypes() {
        return List.copyOf(maxLag.keySet());
    }

    public List<Lag> read() {
        return subjectTypes().stream().map(this::read).toList();
    }

    public Lag read(String subjectType) {
        OffsetDateTime point = points.stored(subjectType).orElse(null);
        Instant since = point == null ? started : point.toInstant();
        Duration lag = Duration.between(since, clock.instant());
        return new Lag(subjectType, point, lag.isNegative() ? Duration.ZERO : lag, maxLag.getOrDefault(subjectType, Duration.ZERO));
    }
}
