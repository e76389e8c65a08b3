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
    private final List<String> subjectTypes;

    public LastRunCheck(LastRuns lastRuns, List<String> subjectTypes) {
        super("ksef", ID);
        this.lastRuns = lastRuns;
        this.subjectTypes = List.copyOf(subjectTypes);
    }

    @Override
    public boolean isLiveness() {
        return false;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        List<String> summary = new ArrayList<>();
        List<String> failed = new ArrayList<>();
        for (String subjectType : subjectTypes) {
            LastRuns.Run run = lastRuns.last(subjectType).orElse(null);
            if (run == null) {
                builder.detail(subjectType + ".result", "NONE");
                summary.add(subjectType + " no run since the start");
                continue;
            }
            builder.detail(subjectType + ".result", run.result());
            builder.detail(subjectType + ".at", run.at().toString());
            if (run.referenceNumber() != null) {
                builder.detail(subjectType + ".referenceNumber", run.referenceNumber());
            }
            if (run.failure() != null) {
                builder.detail(subjectType + ".failure", HealthText.of(run.failure()));
            }
            summary.add(subjectType + " " + run.result() + " at " + run.at());
            if (run.failed()) {
                failed.add(subjectType + " at " + run.at() + ": " + HealthText.of(run.failure()));
            }
        }
        if (failed.isEmpty()) {
            builder.up().message("last runs: " + String.join(", ", summary));
        } else {
            builder.down().message("last run failed: " + String.join("; ", failed));
        }
    }
}
