package dev.ksef.sync.limits;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.zaxxer.hikari.HikariDataSource;
import dev.ksef.sync.KsefSync;
import dev.ksef.sync.app.AppDatabase;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The shipped polling schedules: soon after acceptance, then backing off, within KSeF's status budget. */
class PollScheduleTest {

    private static final long MINUTE = 60_000;
    private final PollSchedule schedule = new PollSchedule();
    private final Properties defaults = defaults();

    @TempDir
    Path dir;

    @Test
    void anExportIsFirstPolledWithinHalfASecondOfAcceptanceThenLessAndLessOften() {
        List<Long> at = exportPolls(10 * MINUTE);
        assertTrue(at.get(0) <= 500, "first poll " + at.get(0) + " ms after acceptance");
        for (int i = 2; i < at.size(); i++) {
            long gap = at.get(i) - at.get(i - 1);
            assertTrue(gap >= at.get(i - 1) - at.get(i - 2), "pauses never shrink: " + at);
            assertTrue(gap <= setting("ksef.export.max-poll-interval-ms"), "never longer than the longest pause: " + at);
        }
        assertEquals(setting("ksef.export.max-poll-interval-ms"), at.get(at.size() - 1) - at.get(at.size() - 2), "a long export at the longest pause");
    }

    @Test
    void fourSubjectTypesPollingLongExportsOfOneContextAtOnceNeverWaitForTheStatusBudget() throws Exception {
        // all four accepted in the same second, polled for an hour: every call fits KSeF's 10/s, 60/min, 600/h
        List<Long> calls = new ArrayList<>();
        for (int run = 0; run < 4; run++) {
            for (long at : exportPolls(60 * MINUTE)) {
                calls.add(at + run * 100L);
            }
        }
        calls.sort(Long::compare);
        assertTrue(mostWithin(calls, MINUTE) <= 30, "at most half of the 60 a minute, the rest for part links: " + mostWithin(calls, MINUTE));
        long start = Instant.parse("2026-11-30T12:00:00Z").toEpochMilli();
        long[] now = {start};
        Clock clock = new Clock() {
            @Override
            public long millis() {
                return now[0];
            }

            @Override
            public Instant instant() {
                return Instant.ofEpochMilli(now[0]);
            }

            @Override
            public ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(ZoneId zone) {
                return this;
            }
        };
        try (HikariDataSource store = AppDatabase.open("", "", "", dir)) {
            RateBudget budget = new RateBudget(store, Map.of("invoiceExportStatus", RateBudget.Limits.parse(defaults.getProperty("ksef.rate.invoiceExportStatus"))),
                    Duration.ofMinutes(10), clock, millis -> now[0] += millis);
            for (long at : calls) {
                now[0] = Math.max(now[0], start + at);
                assertEquals(0, budget.acquire("invoiceExportStatus"), "a poll " + at + " ms in had to wait");
            }
        }
    }

    @Test
    void theLoginIsPolledAtOnceAndThenBacksOff() {
        long first = schedule.pause(0, setting("ksef.auth.first-poll-delay-ms"), setting("ksef.auth.poll-interval-ms"), 1,
                setting("ksef.auth.max-poll-interval-ms"));
        assertTrue(first <= 200, "first login poll after " + first + " ms");
        long pause = first;
        for (int poll = 1; poll < 12; poll++) {
            long next = schedule.pause(poll, setting("ksef.auth.first-poll-delay-ms"), setting("ksef.auth.poll-interval-ms"), 1,
                    setting("ksef.auth.max-poll-interval-ms"));
            assertTrue(next >= pause && next <= setting("ksef.auth.max-poll-interval-ms"), "poll " + poll + ": " + next + " ms");
            pause = next;
        }
        assertEquals(setting("ksef.auth.max-poll-interval-ms"), pause);
    }

    @Test
    void aShortIntervalAlsoShortensTheFirstPauseAndSlowerDoublingKeepsManyPollsQuick() {
        // the tests' setting (20 ms, doubling every 5 polls): an export the simulator holds for 20 polls takes 1.5 s
        long total = 0;
        for (int poll = 0; poll < 20; poll++) {
            long pause = schedule.pause(poll, 250, 20, 5, 30_000);
            assertTrue(pause <= 160, "poll " + poll + ": " + pause);
            total += pause;
        }
        assertTrue(total < 2_000, total + " ms");
        assertEquals(30_000, schedule.pause(200, 250, 20, 1, 30_000), "no overflow far out");
    }

    /** The default export schedule's poll times (ms after acceptance) up to {@code until}. */
    private List<Long> exportPolls(long until) {
        List<Long> at = new ArrayList<>();
        long t = 0;
        for (int poll = 0; ; poll++) {
            t += schedule.pause(poll, setting("ksef.export.first-poll-delay-ms"), setting("ksef.export.poll-interval-ms"),
                    (int) setting("ksef.export.polls-per-doubling"), setting("ksef.export.max-poll-interval-ms"));
            if (t > until) {
                return at;
            }
            at.add(t);
        }
    }

    private static int mostWithin(List<Long> sorted, long window) {
        int most = 0;
        for (int i = 0, j = 0; i < sorted.size(); i++) {
            while (sorted.get(i) - sorted.get(j) >= window) {
                j++;
            }
            most = Math.max(most, i - j + 1);
        }
        return most;
    }

    private long setting(String key) {
        return Long.parseLong(defaults.getProperty(key).trim());
    }

    private static Properties defaults() {
        Properties p = new Properties();
        try (InputStream in = KsefSync.class.getResourceAsStream(KsefSync.DEFAULTS)) {
            p.load(in);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return p;
    }
}
