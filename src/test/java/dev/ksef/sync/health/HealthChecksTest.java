package dev.ksef.sync.health;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.zaxxer.hikari.HikariDataSource;
import dev.ksef.sync.KsefConfigurationException;
import dev.ksef.sync.app.AppDatabase;
import dev.ksef.sync.export.ExportFailedException;
import dev.ksef.sync.export.ExportRun;
import dev.ksef.sync.limits.RateBudgetExceededException;
import dev.ksef.sync.store.ContinuationPoints;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.apache.camel.health.HealthCheck;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The readiness checks ksef-sync-lag and ksef-sync-last-run on a real H2 store, with a clock the test moves. */
class HealthChecksTest {

    @TempDir
    Path dir;

    private HikariDataSource dataSource;
    private ContinuationPoints points;
    private final TestClock clock = new TestClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));

    @BeforeEach
    void store() {
        dataSource = AppDatabase.open("", "", "", dir);
        points = new ContinuationPoints(dataSource, "P30D");
    }

    @AfterEach
    void close() {
        dataSource.close();
    }

    private static final String NIP = "5265877635";

    private SyncLag syncLag(Map<String, String> settings) {
        java.util.function.Function<String, String> setting = key -> settings.getOrDefault(key, "");
        return SyncLag.configured(points, () -> Map.of(NIP, SyncLag.subjectTypes(setting)), setting, clock);
    }

    @Test
    void beforeTheFirstSyncTheLagCountsFromTheStartAndIsDownOnceLate() {
        SyncLagCheck check = new SyncLagCheck(syncLag(Map.of("ksef.subject-types", "Subject1", "ksef.health.max-lag", "PT2H")));
        HealthCheck.Result fresh = check.call();
        assertEquals(HealthCheck.State.UP, fresh.getState(), fresh.getMessage().orElse(""));
        assertEquals("none", fresh.getDetails().get(NIP + ".Subject1.continuationPoint"));
        assertEquals(0L, fresh.getDetails().get(NIP + ".Subject1.lagSeconds"));

        clock.advance(Duration.ofHours(2).plusSeconds(1));
        HealthCheck.Result late = check.call();
        assertEquals(HealthCheck.State.DOWN, late.getState());
        assertEquals("behind more than the maximum lag: 1 of 1: " + NIP + " Subject1 PT2H1S (no sync yet) of PT2H", late.getMessage().orElseThrow());
        assertEquals("PT2H1S", late.getDetails().get(NIP + ".Subject1.lag"));
    }

    @Test
    void theLagIsTheContinuationPointsDistanceFromNowAgainstEachSubjectTypesMaximum() {
        // Subject1 (synced every 15 minutes) may be 2 hours behind, Subject3 (daily) the general P1DT2H
        SyncLagCheck check = new SyncLagCheck(syncLag(Map.of("ksef.subject-types", "Subject1, Subject3", "ksef.health.max-lag", "P1DT2H",
                "ksef.health.Subject1.max-lag", "PT2H")));
        OffsetDateTime now = OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC);
        points.advance(NIP, "Subject1", now.minusMinutes(20));
        points.advance(NIP, "Subject3", now.minusHours(20));
        HealthCheck.Result up = check.call();
        assertEquals(HealthCheck.State.UP, up.getState(), up.getMessage().orElse(""));
        assertEquals(1200L, up.getDetails().get(NIP + ".Subject1.lagSeconds"));
        assertEquals("PT2H", up.getDetails().get(NIP + ".Subject1.maxLag"));
        assertEquals("PT26H", up.getDetails().get(NIP + ".Subject3.maxLag"));
        assertEquals(now.minusHours(20).toString(), up.getDetails().get(NIP + ".Subject3.continuationPoint"));

        clock.advance(Duration.ofHours(2));
        HealthCheck.Result down = check.call();
        assertEquals(HealthCheck.State.DOWN, down.getState());
        assertEquals("behind more than the maximum lag: 1 of 2: " + NIP + " Subject1 PT2H20M of PT2H", down.getMessage().orElseThrow(), "only the late one named");

        points.advance(NIP, "Subject1", now.plusHours(2).minusMinutes(1));
        assertEquals(HealthCheck.State.UP, check.call().getState(), "a sync brings it back");
    }

    @Test
    void anUnreadableStoreIsDown() {
        SyncLagCheck check = new SyncLagCheck(syncLag(Map.of("ksef.subject-types", "Subject1")));
        dataSource.close();
        HealthCheck.Result result = check.call();
        assertEquals(HealthCheck.State.DOWN, result.getState());
        assertTrue(result.getMessage().orElseThrow().startsWith("cannot read the continuation points"), result.getMessage().orElseThrow());
    }

    @Test
    void aMaximumLagThatIsNoDurationIsAConfigurationError() {
        KsefConfigurationException e = assertThrows(KsefConfigurationException.class,
                () -> syncLag(Map.of("ksef.subject-types", "Subject2", "ksef.health.Subject2.max-lag", "2h")));
        assertEquals("ksef.health.Subject2.max-lag must be an ISO-8601 duration such as PT2H, not '2h'", e.getMessage());
    }

    @Test
    void lastRunIsDownWhileTheLastRunOfASubjectTypeFailed() {
        LastRuns runs = new LastRuns(clock);
        LastRunCheck check = new LastRunCheck(runs, () -> Map.of(NIP, List.of("Subject1", "Subject2")));
        HealthCheck.Result none = check.call();
        assertEquals(HealthCheck.State.UP, none.getState());
        assertEquals("NONE", none.getDetails().get(NIP + ".Subject1.result"));

        ExportRun run = new ExportRun(NIP, "Subject1", "q", OffsetDateTime.now(ZoneOffset.UTC).minusDays(1), null, null);
        run.referenceNumber = "20261130-EH-0000000001-0000000001-01";
        runs.completed(run);
        runs.failed(NIP, "Subject2", null, new ExportFailedException("Subject2: export 20261130-EH-2 ended with status 500 \"Błąd\"\nretry"));
        HealthCheck.Result failed = check.call();
        assertEquals(HealthCheck.State.DOWN, failed.getState());
        assertEquals("DONE", failed.getDetails().get(NIP + ".Subject1.result"));
        assertEquals(run.referenceNumber, failed.getDetails().get(NIP + ".Subject1.referenceNumber"));
        assertEquals("FAILED", failed.getDetails().get(NIP + ".Subject2.result"));
        assertEquals("ExportFailedException: Subject2: export 20261130-EH-2 ended with status 500 'Błąd' retry", failed.getDetails().get(NIP + ".Subject2.failure"),
                "on one line, no quotes");
        assertTrue(failed.getMessage().orElseThrow().startsWith("last run failed: 1 of 2: " + NIP + " Subject2 at "), failed.getMessage().orElseThrow());

        runs.failed(NIP, "Subject2", null, new RateBudgetExceededException("invoiceExport", Duration.ofMinutes(50), Duration.ofMinutes(10)));
        HealthCheck.Result limited = check.call();
        assertEquals(HealthCheck.State.UP, limited.getState(), "KSeF asked to wait: not a failure");
        assertEquals("RATE_LIMITED", limited.getDetails().get(NIP + ".Subject2.result"));

        runs.failed(NIP, "Subject2", null, new IllegalStateException("broker down"));
        run = new ExportRun(NIP, "Subject2", "q", OffsetDateTime.now(ZoneOffset.UTC).minusDays(1), null, null);
        runs.noData(run);
        assertEquals(HealthCheck.State.UP, check.call().getState(), "the next run that ends well brings it back");
    }

    @Test
    void bothChecksAreReadinessChecksOnly() {
        for (HealthCheck check : List.of(new SyncLagCheck(syncLag(Map.of("ksef.subject-types", "Subject1"))),
                new LastRunCheck(new LastRuns(clock), () -> Map.of(NIP, List.of("Subject1"))))) {
            assertTrue(check.isReadiness(), check.getId());
            assertFalse(check.isLiveness(), check.getId() + ": a restart cures neither a KSeF nor a broker outage");
        }
    }
}
