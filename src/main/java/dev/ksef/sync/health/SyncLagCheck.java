package dev.ksef.sync.health;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

/**
 * Readiness check {@code ksef-sync-lag}: DOWN when any enabled subject type's continuation point is further behind now
 * than its maximum lag ({@link SyncLag}), or when the store cannot be read. Not a liveness check: restarting the JVM
 * cures neither a KSeF outage nor a broker outage. Details per subject type: {@code <subjectType>.lag} (ISO-8601),
 * {@code .lagSeconds}, {@code .maxLag} and {@code .continuationPoint} ({@code none} before the first sync).
 */
public final class SyncLagCheck extends AbstractHealthCheck {

    public static final String ID = "ksef-sync-lag";

    private final SyncLag syncLag;

    public SyncLagCheck(SyncLag syncLag) {
        super("ksef", ID);
        this.syncLag = syncLag;
    }

    @Override
    public boolean isLiveness() {
        return false;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        List<SyncLag.Lag> lags;
        try {
            lags = syncLag.read();
        } catch (RuntimeException e) {
            builder.down().message(HealthText.of("cannot read the continuation points: " + e.getMessage())).error(e);
            return;
        }
        List<SyncLag.Lag> late = lags.stream().filter(SyncLag.Lag::late).toList();
        // every pair in detail while there are few; with many tenants the late ones only (and the counts)
        for (SyncLag.Lag l : lags.size() <= DETAILED ? lags : late) {
            builder.detail(l.key() + ".lag", l.lag().withNanos(0).toString());
            builder.detail(l.key() + ".lagSeconds", l.lag().toSeconds());
            builder.detail(l.key() + ".maxLag", l.maxLag().toString());
            builder.detail(l.key() + ".continuationPoint", l.continuationPoint() == null ? "none" : l.continuationPoint().toString());
        }
        builder.detail("synced", lags.size());
        builder.detail("late", late.size());
        if (late.isEmpty()) {
            builder.up().message("within the maximum lag: " + (lags.size() <= DETAILED ? describe(lags) : lags.size() + " (NIP, subject type) pairs"));
        } else {
            builder.down().message("behind more than the maximum lag: " + late.size() + " of " + lags.size() + ": "
                    + describe(late.subList(0, Math.min(late.size(), DETAILED))));
        }
    }

    /** Up to this many (NIP, subject type) pairs are each reported in detail. */
    static final int DETAILED = 40;

    private static String describe(List<SyncLag.Lag> lags) {
        return lags.stream().map(l -> l.nip() + " " + l.subjectType() + " " + l.lag().withNanos(0) + (l.continuationPoint() == null ? " (no sync yet)" : "")
                + " of " + l.maxLag()).collect(Collectors.joining(", "));
    }
}
