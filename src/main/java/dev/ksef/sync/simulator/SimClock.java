package dev.ksef.sync.simulator;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The simulator's wall clock: real time plus an offset that tests move forward (token expiry, 7-day retention) or set
 * to a fixed instant (replaying signed samples whose challenge and certificate belong to that time).
 */
public final class SimClock {

    private final AtomicLong offsetMillis = new AtomicLong();

    public OffsetDateTime now() {
        return OffsetDateTime.now(ZoneOffset.UTC).plusNanos(offsetMillis.get() * 1_000_000L);
    }

    public void advance(Duration by) {
        offsetMillis.addAndGet(by.toMillis());
    }

    /** Moves the offset so that {@link #now()} is {@code instant} now; the clock runs on from there. */
    public void set(OffsetDateTime instant) {
        offsetMillis.set(Duration.between(OffsetDateTime.now(ZoneOffset.UTC), instant).toMillis());
    }
}
