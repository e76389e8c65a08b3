package dev.ksef.sync.health;

import dev.ksef.sync.export.ExportEvents;
import dev.ksef.sync.export.ExportRun;
import dev.ksef.sync.export.ExportTracker;
import dev.ksef.sync.limits.RateBudgetExceededException;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.camel.http.base.HttpOperationFailedException;

/**
 * The result of each subject type's last run in this process, as {@link ExportTracker} reports it: DONE (an export
 * completed; a catch-up run reports each), NO_DATA (KSeF's HWM had not reached the window yet), RATE_LIMITED (KSeF's
 * block or the rate budget would have had to wait longer than {@code ksef.rate.max-wait}), FAILED (anything else;
 * {@code failure} says what, as logged). Nothing is known of a subject type before its first run here.
 */
public final class LastRuns implements ExportEvents {

    /** How a run ended; {@code referenceNumber} is null when it failed before an export was started. */
    public record Run(String result, Instant at, String referenceNumber, String failure) {

        public boolean failed() {
            return "FAILED".equals(result);
        }
    }

    private final Map<String, Run> last = new ConcurrentHashMap<>();
    private final Clock clock;

    public LastRuns(Clock clock) {
        this.clock = clock;
    }

    public Optional<Run> last(String nip, String subjectType) {
        return Optional.ofNullable(last.get(nip + "." + subjectType));
    }

    @Override
    public void completed(ExportRun run) {
        last.put(run.nip + "." + run.subjectType, new Run("DONE", clock.instant(), run.referenceNumber, null));
    }

    @Override
    public void noData(ExportRun run) {
        last.put(run.nip + "." + run.subjectType, new Run("NO_DATA", clock.instant(), run.referenceNumber, null));
    }

    @Override
    public void failed(String nip, String subjectType, ExportRun run, Exception cause) {
        if (subjectType == null || nip == null) {
            return;
        }
        boolean rateLimited = cause instanceof RateBudgetExceededException
                || cause instanceof HttpOperationFailedException http && http.getStatusCode() == 429;
        last.put(nip + "." + subjectType, new Run(rateLimited ? "RATE_LIMITED" : "FAILED", clock.instant(), run == null ? null : run.referenceNumber,
                ExportTracker.describe(cause)));
    }
}
