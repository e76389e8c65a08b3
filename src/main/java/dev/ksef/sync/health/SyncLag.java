package dev.ksef.sync.health;

import dev.ksef.sync.KsefConfigurationException;
import dev.ksef.sync.store.ContinuationPoints;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * How far each synced (context NIP, subject type)'s continuation point is behind now, and how far it may be before the
 * readiness check {@code ksef-sync-lag} is DOWN: {@code ksef.health.<subjectType>.max-lag} when set, else
 * {@code ksef.health.max-lag}. Before the first completed export there is no continuation point; the lag then counts
 * from when the bundle started, so a fresh tenant is ready until its first sync is late. Read from the store in one
 * query, at most every few seconds (the check and the {@code ksef.sync.lag} gauges share it).
 */
public final class SyncLag {

    /** One (NIP, subject type)'s lag; {@code continuationPoint} is null before its first sync. */
    public record Lag(String nip, String subjectType, OffsetDateTime continuationPoint, Duration lag, Duration maxLag) {

        public boolean late() {
            return lag.compareTo(maxLag) > 0;
        }

        public String key() {
            return nip + "." + subjectType;
        }
    }

    private static final Duration FRESH = Duration.ofSeconds(5);
    private static final List<String> ALL = List.of("Subject1", "Subject2", "Subject3", "SubjectAuthorized");

    private final ContinuationPoints points;
    private final Supplier<Map<String, List<String>>> contexts;
    private final Map<String, Duration> maxLag;
    private final Clock clock;
    private final Instant started;
    private volatile Instant readAt = Instant.MIN;
    private volatile List<Lag> last = List.of();

    /**
     * @param contexts the synced contexts now: NIP to its subject types
     * @param maxLag the lag each subject type may have
     */
    public SyncLag(ContinuationPoints points, Supplier<Map<String, List<String>>> contexts, Map<String, Duration> maxLag, Clock clock) {
        this.points = points;
        this.contexts = contexts;
        this.maxLag = new LinkedHashMap<>(maxLag);
        this.clock = clock;
        this.started = clock.instant();
    }

    /** The {@code ksef.health.*max-lag} settings of every subject type. */
    public static SyncLag configured(ContinuationPoints points, Supplier<Map<String, List<String>>> contexts,
                                     Function<String, String> settings, Clock clock) {
        Map<String, Duration> maxLag = new LinkedHashMap<>();
        for (String subjectType : ALL) {
            String key = "ksef.health." + subjectType + ".max-lag";
            String own = settings.apply(key);
            if (own == null || own.isBlank()) {
                key = "ksef.health.max-lag";
            }
            String value = settings.apply(key) == null ? "" : settings.apply(key).strip();
            try {
                maxLag.put(subjectType, Duration.parse(value.isEmpty() ? "P1DT2H" : value));
            } catch (DateTimeParseException e) {
                throw new KsefConfigurationException(key + " must be an ISO-8601 duration such as PT2H, not '" + value + "'");
            }
        }
        return new SyncLag(points, contexts, maxLag, clock);
    }

    /** {@code ksef.subject-types}: the subject types the bundle syncs by default. */
    public static List<String> subjectTypes(Function<String, String> settings) {
        return Arrays.stream(settings.apply("ksef.subject-types").split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
    }

    /** The contexts synced now, NIP to subject types. */
    public Map<String, List<String>> contexts() {
        return contexts.get();
    }

    /** Every synced (NIP, subject type), as stored now. */
    public synchronized List<Lag> read() {
        Instant now = clock.instant();
        Map<String, OffsetDateTime> stored = points.all();
        List<Lag> lags = new ArrayList<>();
        contexts.get().forEach((nip, subjectTypes) -> {
            for (String subjectType : subjectTypes) {
                OffsetDateTime point = stored.get(nip + "." + subjectType);
                Instant since = point == null ? started : point.toInstant();
                Duration lag = Duration.between(since, now);
                lags.add(new Lag(nip, subjectType, point, lag.isNegative() ? Duration.ZERO : lag, maxLag.getOrDefault(subjectType, Duration.ZERO)));
            }
        });
        last = List.copyOf(lags);
        readAt = now;
        return last;
    }

    /** The lag of one (NIP, subject type), from a read at most a few seconds old (the gauges of many tenants). */
    public Lag cached(String nip, String subjectType) {
        List<Lag> lags;
        synchronized (this) {
            Instant now = clock.instant();
            lags = now.isBefore(readAt.plus(FRESH)) && !now.isBefore(readAt) ? last : read();
        }
        return lags.stream().filter(l -> l.nip().equals(nip) && l.subjectType().equals(subjectType)).findFirst()
                .orElse(new Lag(nip, subjectType, null, Duration.ZERO, maxLag.getOrDefault(subjectType, Duration.ZERO)));
    }
}
