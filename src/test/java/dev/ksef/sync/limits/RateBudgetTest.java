package dev.ksef.sync.limits;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.zaxxer.hikari.HikariDataSource;
import dev.ksef.sync.app.AppDatabase;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sliding windows and KSeF's blocks, on a real H2 store, with a clock the budget's waits move forward. */
class RateBudgetTest {

    @TempDir
    Path dir;

    private HikariDataSource dataSource;
    private final MovingClock clock = new MovingClock();
    private final List<Long> waits = new ArrayList<>();

    @BeforeEach
    void store() {
        dataSource = AppDatabase.open("", "", "", dir);
    }

    @AfterEach
    void close() {
        dataSource.close();
    }

    private RateBudget budget(String limits, Duration maxWait) {
        return new RateBudget(dataSource, Map.of("invoiceExport", RateBudget.Limits.parse(limits)), maxWait, clock, millis -> {
            waits.add(millis);
            clock.advance(millis);
        });
    }

    @Test
    void callsBeyondTheMinuteWindowWaitUntilTheOldestLeavesIt() throws Exception {
        RateBudget budget = budget("8/16/20", Duration.ofHours(2));
        List<Long> admitted = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            budget.acquire("invoiceExport");
            admitted.add(clock.millis());
            clock.advance(10);
        }
        // 8 per second, 16 per minute: call 9 waits for the second window, call 17 for the minute window
        // each window counted a little longer (25 ms, 250 ms): KSeF counts a call at its arrival, a latency later
        assertEquals(1_025, admitted.get(8) - admitted.get(0), 10, "ninth call one second (and 25 ms) after the first");
        assertEquals(60_250, admitted.get(16) - admitted.get(0), 10, "seventeenth call one minute (and 250 ms) after the first");
        for (int i = 0; i + 16 < admitted.size(); i++) {
            assertEquals(true, admitted.get(i + 16) - admitted.get(i) >= 60_250, "never 17 calls in a minute and its guard");
        }
        assertThrows(RateBudgetExceededException.class, () -> budget(" 8/16/20", Duration.ofMinutes(5)).acquire("invoiceExport"),
                "the 21st call of the hour would wait about an hour: refused");
    }

    @Test
    void aBlockFromKsefHoldsEveryCallOfTheGroupAndIsSharedThroughTheStore() throws Exception {
        RateBudget first = budget("8/16/20", Duration.ofMinutes(10));
        first.blocked("invoiceExport", Duration.ofSeconds(90));
        RateBudget second = budget("8/16/20", Duration.ofMinutes(10)); // another instance on the same database
        long before = clock.millis();
        assertEquals(90_000, second.acquire("invoiceExport"), "the wait is reported (ksef.rate.budget.wait)");
        assertEquals(90_000, clock.millis() - before, "waited out the block");
        first.blocked("invoiceExport", Duration.ofSeconds(30));
        first.blocked("invoiceExport", Duration.ofSeconds(5));
        before = clock.millis();
        first.acquire("invoiceExport");
        assertEquals(30_000, clock.millis() - before, "a shorter block does not shorten a longer one");
    }

    @Test
    void aBlockLongerThanTheMaximumWaitIsRefusedWithoutWaiting() {
        RateBudget budget = budget("8/16/20", Duration.ofSeconds(10));
        budget.blocked("invoiceExport", Duration.ofSeconds(3037));
        assertThrows(RateBudgetExceededException.class, () -> budget.acquire("invoiceExport"));
        assertEquals(List.of(), waits);
    }

    @Test
    void retryAfterIsReadAsSecondsOrHttpDateUnderAnySpelling() {
        Instant now = Instant.parse("2026-11-22T12:00:00Z");
        Duration fallback = Duration.ofSeconds(60);
        assertEquals(Duration.ofSeconds(30), RetryAfter.from(Map.of("retry-after", "30"), now, fallback));
        assertEquals(Duration.ofSeconds(3037), RetryAfter.from(Map.of("Retry-After", " 3037 "), now, fallback));
        assertEquals(Duration.ofSeconds(90), RetryAfter.from(Map.of("RETRY-AFTER", "Sun, 22 Nov 2026 12:01:30 GMT"), now, fallback));
        assertEquals(Duration.ZERO, RetryAfter.parse("Sun, 22 Nov 2026 11:00:00 GMT", now, fallback), "a date in the past");
        assertEquals(fallback, RetryAfter.parse("soon", now, fallback));
        assertEquals(fallback, RetryAfter.from(Map.of(), now, fallback));
    }

    @Test
    void eachKsefPathIsCountedInItsDocumentedGroup() {
        assertEquals("invoiceExport", KsefCallGuard.limitGroup("POST", "/v2/invoices/exports"));
        assertEquals("invoiceExportStatus", KsefCallGuard.limitGroup("GET", "/v2/invoices/exports/20251010-EH-1"));
        assertEquals("invoiceDownload", KsefCallGuard.limitGroup("GET", "/v2/invoices/ksef/5265877635-20250826-0100001AF629-AF"));
        assertEquals("invoiceDownload", KsefCallGuard.limitGroup("GET", "/v2/invoices/ksef")); // the number in CamelHttpPath
        assertEquals("invoiceMetadata", KsefCallGuard.limitGroup("POST", "/v2/invoices/query/metadata"));
        assertEquals("auth", KsefCallGuard.limitGroup("POST", "/v2/auth/challenge"));
        assertEquals("auth", KsefCallGuard.limitGroup("GET", "/v2/security/public-key-certificates"));
        assertEquals("other", KsefCallGuard.limitGroup("GET", "/v2/rate-limits"));
    }

    private static final class MovingClock extends Clock {
        private long millis = Instant.parse("2026-11-22T12:00:00Z").toEpochMilli();

        void advance(long by) {
            millis += by;
        }

        @Override
        public long millis() {
            return millis;
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(millis);
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }
}
