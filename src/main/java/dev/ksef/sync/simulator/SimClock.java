package dev.ksef.sync.simulator;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;

/** The simulator's wall clock: real time plus an offset that tests move forward (token expiry, 7-day retention). */
public final class SimClock {

    private final AtomicLong offsetMillis = new AtomicLong();

    public OffsetDateTime now() {
        return OffsetDateTime.now(ZoneOffset.UTC).plusNanos(offsetMillis.get() * 1_000_000L);
    }

    public void advance(Duration by) {
        offsetMillis.addAndGet(by.toMillis());
    }
}
