package dev.ksef.sync.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ksef.sync.Nip;
import java.util.ArrayList;
import java.util.List;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.quartz.CronExpression;

/** Thousands of tenants with one cron fire spread over its period, each at the same time on every node. */
class CronSpreadTest {

    @Test
    void everyFifteenMinutesIsSpreadOverTheFifteenMinutesByNip() {
        Set<String> distinct = new HashSet<>();
        for (String nip : nips(2000)) {
            String spread = CronSpread.spread("0 0/15 * * * ?", nip);
            assertTrue(CronExpression.isValidExpression(spread), spread);
            assertEquals(900, CronSpread.periodSeconds(spread), "still every 15 minutes: " + spread);
            assertEquals(spread, CronSpread.spread("0 0/15 * * * ?", nip), "stable");
            distinct.add(spread);
        }
        // 900 possible offsets: 2,000 tenants fill about 800 of them (as random draws would), a second holds ~2-3 fires, not 2,000
        assertTrue(distinct.size() > 700, distinct.size() + " distinct fire times");
    }

    @Test
    void aNightlyCronMovesWithinItsHourAndOtherFormsStayAsConfigured() {
        String nightly = CronSpread.spread("0 20 2 * * ?", "5265877635");
        assertTrue(nightly.matches("\\d{1,2} \\d{1,2} 2 \\* \\* \\?"), nightly);
        assertEquals(86400, CronSpread.periodSeconds(nightly));
        assertEquals("0/2 * * * * ?", CronSpread.spread("0/2 * * * * ?", "5265877635"));
    }

    /** The first {@code count} valid NIPs from 5260000000 on. */
    static List<String> nips(int count) {
        List<String> nips = new ArrayList<>();
        for (long n = 5_260_000_000L; nips.size() < count; n++) {
            if (Nip.isValid(Long.toString(n))) {
                nips.add(Long.toString(n));
            }
        }
        return nips;
    }
}
