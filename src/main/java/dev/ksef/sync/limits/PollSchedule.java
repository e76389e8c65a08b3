package dev.ksef.sync.limits;

import dev.ksef.sync.export.ExportRun;

/**
 * When to ask KSeF again about something it does asynchronously (an export, a login): the first status poll soon after
 * KSeF accepted it, then pauses that double every {@code pollsPerDoubling} polls up to a longest pause. KSeF is
 * followed closely while an answer is likely and left alone while it works on a large export.
 *
 * <p>With the export defaults (250 ms, then 500 ms doubling on every poll, at most 30 s) the polls come 0.25, 0.75,
 * 1.75, 3.75, 7.75, 15.75, 31.75 and 61.75 s after acceptance, then every 30 s: at most 8 in any minute, 2 a minute
 * once the pause is at its longest, so the four subject types of a context polling at once take about half of KSeF's
 * 60 status calls a minute, leaving the rest for fresh part links. The rate budget still admits every call, so no
 * schedule can exceed KSeF's limits.
 *
 * <p>Called from the routes ({@code delay} of the export-status and login-status loops) with the route's settings.
 */
public final class PollSchedule {

    /**
     * The pause in milliseconds before poll number {@code polls} (0 = the first poll).
     *
     * @param polls polls already made
     * @param firstMs pause before the first poll (at most {@code intervalMs})
     * @param intervalMs pause after the first poll
     * @param pollsPerDoubling polls at each pause before it doubles (at least 1)
     * @param maxMs longest pause
     */
    public long pause(int polls, long firstMs, long intervalMs, int pollsPerDoubling, long maxMs) {
        if (polls <= 0) {
            return Math.min(Math.min(firstMs, intervalMs), maxMs);
        }
        int doublings = Math.min(30, (polls - 1) / Math.max(1, pollsPerDoubling));
        long pause = intervalMs << doublings;
        return pause < 0 || pause > maxMs ? maxMs : pause;
    }

    /** The pause before the next status poll of {@code run}, by the polls it has made. */
    public long exportPause(ExportRun run, long firstMs, long intervalMs, int pollsPerDoubling, long maxMs) {
        return pause(run.polls, firstMs, intervalMs, pollsPerDoubling, maxMs);
    }
}
