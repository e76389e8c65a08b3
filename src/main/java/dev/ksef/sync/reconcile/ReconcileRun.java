package dev.ksef.sync.reconcile;

import dev.ksef.sync.export.ExportRun;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

/**
 * One reconciliation of a context's subject type as it goes through {@code direct:ksef-reconcile} (exchange property
 * {@code ksefReconcile}): the window compared, how many invoices KSeF listed there, which of them were never
 * delivered, and what became of each. Results: {@code DONE} (every missing invoice delivered or quarantined with its
 * reason), {@code PARTIAL} (some could not be downloaded: tried again by the next reconciliation), {@code SKIPPED} (a
 * run of the pair was in progress, or it was never synced: nothing to compare), {@code RATE_LIMITED},
 * {@code FAILED} (KSeF's list could not be read).
 */
public final class ReconcileRun {

    /** What became of one invoice KSeF listed and the bundle had not delivered. */
    public record Invoice(String ksefNumber, String outcome, String reason) {
    }

    public final String nip;
    public final String subjectType;
    public final Instant startedAt;
    public final long startedNanos = System.nanoTime();
    public OffsetDateTime from;
    public OffsetDateTime to;
    /** Why nothing was compared (null when the window was compared). */
    public String skipped;
    public int listed;
    public int missing;
    public int healed;
    public int quarantined;
    public int failed;
    public String result;
    public String failure;
    public final List<Invoice> invoices = new ArrayList<>();
    /** The run its healed invoices are published under ({@code ksefSource=reconciliation}). */
    public ExportRun publishing;

    public ReconcileRun(String nip, String subjectType, Instant startedAt) {
        this.nip = nip;
        this.subjectType = subjectType;
        this.startedAt = startedAt;
    }

    /** Whether there is a window to compare. */
    public boolean compares() {
        return skipped == null;
    }

    /** Completed as a reconciliation should (DONE, or SKIPPED because the pair was never synced). */
    public boolean completed() {
        return "DONE".equals(result) || "SKIPPED".equals(result) && skipped != null && skipped.startsWith("never synced");
    }

    public long elapsedMillis() {
        return (System.nanoTime() - startedNanos) / 1_000_000;
    }

    /** The one log line of this reconciliation. */
    public String line() {
        String head = nip + " " + subjectType + ": reconciliation " + result;
        if (failure != null) {
            return head + ": " + failure;
        }
        if (skipped != null) {
            return head + ": " + skipped;
        }
        return head + " for " + from + ".." + to + ": " + listed + " listed by KSeF, " + missing + " not delivered, " + healed + " delivered now, "
                + quarantined + " quarantined, " + failed + " failed (" + elapsedMillis() + " ms)";
    }
}
