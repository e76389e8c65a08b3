package dev.ksef.sync.simulator;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;

/**
 * KSeF's rate limits: sliding windows of 1 s, 1 min and 1 h per key (the simulator's: context, client IP and endpoint),
 * all three at once.
 * A call over any limit blocks the group until the window frees up; every further call during a block lengthens it,
 * as KSeF does with clients that keep calling. A time scale compresses time so tests can spend an hour of limits in
 * seconds: windows, blocks and {@code Retry-After} are then in real (scaled) time.
 */
final class RateLimiter {

    /** Calls allowed per second, minute and hour; 0 means no limit for that window. */
    record Limits(int perSecond, int perMinute, int perHour) {
    }

    private static final long[] WINDOWS_NANOS = {1_000_000_000L, 60_000_000_000L, 3_600_000_000_000L};

    private final double timeScale;
    private final long penaltyNanos;
    private final Map<String, State> states = new HashMap<>();
    private final long origin = System.nanoTime();

    RateLimiter(double timeScale, long penaltySeconds) {
        this.timeScale = timeScale;
        this.penaltyNanos = penaltySeconds * 1_000_000_000L;
    }

    private static final class State {
        final Deque<Long> calls = new ArrayDeque<>();
        long blockedUntil = Long.MIN_VALUE;
    }

    /** Returns 0 when the call may proceed (and counts it), else the real seconds to put in {@code Retry-After}. */
    synchronized long acquire(String key, Limits limits) {
        long now = simulatedNanos();
        State state = states.computeIfAbsent(key, k -> new State());
        while (!state.calls.isEmpty() && state.calls.peekFirst() <= now - WINDOWS_NANOS[2]) {
            state.calls.pollFirst();
        }
        if (now < state.blockedUntil) {
            state.blockedUntil += penaltyNanos;
            return realSeconds(state.blockedUntil - now);
        }
        int[] allowed = {limits.perSecond(), limits.perMinute(), limits.perHour()};
        long freeAt = Long.MIN_VALUE;
        for (int w = 0; w < 3; w++) {
            if (allowed[w] <= 0) {
                continue;
            }
            long windowStart = now - WINDOWS_NANOS[w];
            long[] inside = state.calls.stream().mapToLong(Long::longValue).filter(t -> t > windowStart).toArray();
            if (inside.length >= allowed[w]) {
                // the n-th newest call must leave the window before another fits
                freeAt = Math.max(freeAt, inside[inside.length - allowed[w]] + WINDOWS_NANOS[w]);
            }
        }
        if (freeAt != Long.MIN_VALUE) {
            state.blockedUntil = freeAt;
            return realSeconds(freeAt - now);
        }
        state.calls.addLast(now);
        return 0;
    }

    synchronized void reset() {
        states.clear();
    }

    private long simulatedNanos() {
        return (long) ((System.nanoTime() - origin) * timeScale) + WINDOWS_NANOS[2];
    }

    private long realSeconds(long simulatedNanos) {
        return Math.max(1, (long) Math.ceil(simulatedNanos / timeScale / 1e9));
    }
}
