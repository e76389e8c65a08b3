package dev.ksef.sync.health;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

/**
 * Readiness check {@code ksef-sync-last-run}: DOWN while the last run of any enabled subject type in this process
 * FAILED ({@link LastRuns}); the next successful run brings it UP. RATE_LIMITED is not a failure (KSeF asked to wait;
 * {@code ksef-sync-lag} reports it once it lasts too long), and a subject type not run since the start is UP. Not a
 * liveness check: a failed run is retried by the next trigger, a restart would not help. Details per subject type:
 * {@code <subjectType>.result}, {@code .at}, {@code .referenceNumber} and {@code .failure}.
 */
public final class LastRunCheck extends AbstractHealthCheck {

    public static final String ID = "ksef-sync-last-run";

    private final LastRuns lastRuns;
    private final java.util.function.Supplier<Map<String, List<String>>> contexts;

    /** @param contexts the synced contexts now: NIP to its subject types */
    public LastRunCheck(LastRuns lastRuns, java.util.function.Supplier<Map<String, List<String>>> contexts) {
        super("ksef", ID);
        this.lastRuns = lastRuns;
        this.contexts = contexts;
    }

    @Override
    public boolean isLiveness() {
        return false;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        List<String> summary = new ArrayList<>();
        List<String> failed = new ArrayList<>();
        Map<String, List<String>> synced = contexts.get();
        int pairs = synced.values().stream().mapToInt(List::size).sum();
        boolean detailed = pairs <= SyncLagCheck.DETAILED;
        for (var context : synced.entrySet()) {
            for (String subjectType : context.getValue()) {
                String key = context.getKey() + "." + subjectType;
                LastRuns.Run run = lastRuns.last(context.getKey(), subjectType).orElse(null);
                if (run == null) {
                    if (detailed) {
                        builder.detail(key + ".result", "NONE");
                        summary.add(context.getKey() + " " + subjectType + " no run since the start");
                    }
                    continue;
                }
                if (detailed || run.failed()) {
                    builder.detail(key + ".result", run.result());
                    builder.detail(key + ".at", run.at().toString());
                    if (run.referenceNumber() != null) {
                        builder.detail(key + ".referenceNumber", run.referenceNumber());
                    }
                    if (run.failure() != null) {
                        builder.detail(key + ".failure", HealthText.of(run.failure()));
                    }
                }
                if (detailed) {
                    summary.add(context.getKey() + " " + subjectType + " " + run.result() + " at " + run.at());
                }
                if (run.failed()) {
                    failed.add(context.getKey() + " " + subjectType + " at " + run.at() + ": " + HealthText.of(run.failure()));
                }
            }
        }
        builder.detail("failed", failed.size());
        if (failed.isEmpty()) {
            builder.up().message("last runs: " + (detailed ? String.join(", ", summary) : pairs + " (NIP, subject type) pairs, none failed"));
        } else {
            builder.down().message("last run failed: " + failed.size() + " of " + pairs + ": "
                    + String.join("; ", failed.subList(0, Math.min(failed.size(), SyncLagCheck.DETAILED))));
        }
    }
}
