package dev.ksef.sync.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ksef.sync.simulator.Call;
import dev.ksef.sync.simulator.Endpoint;
import dev.ksef.sync.simulator.Fault;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fault matrix against the simulator and a real embedded broker: each case injects what KSeF or its storage has
 * been seen to do, and asserts what a user would check afterwards: every invoice on its queue exactly once (or, when
 * the run must fail, the continuation point unchanged), the export rows, and from the simulator's record of calls
 * that the bundle did not hammer KSeF.
 */
class FaultMatrixTest {

    @TempDir
    Path dataDir;

    @Test
    void a429OnExportStartIsWaitedOutBeforeTheNextCall() throws Exception {
        try (FaultFixture f = FaultFixture.start(dataDir, FaultFixture.smallParts(), Map.of())) {
            f.simulator.inject(Endpoint.EXPORT_START, Fault.tooManyRequests(2), 2);
            f.run();
            f.assertAllDeliveredOnce();
            assertRetryAfterHonoured(f.calls(Endpoint.EXPORT_START));
            assertEquals(3, f.calls(Endpoint.EXPORT_START).size(), "two 429s, then one accepted export");
            assertEquals(List.of("DONE"), f.exportResults());
        }
    }

    @Test
    void a429StormOnStatusFromKsefsOwnLimiterIsWaitedOut() throws Exception {
        // KSeF allows 2 status calls a second here; the bundle's budget is set far above, so KSeF's limiter answers 429
        var config = FaultFixture.smallParts().limits("invoiceExportStatus", 2, 1000, 1000).blockPenaltySeconds(1).pollsBeforeReady(6);
        try (FaultFixture f = FaultFixture.start(dataDir, config, Map.of("ksef.rate.invoiceExportStatus", "100/1000/1000"))) {
            f.run();
            f.assertAllDeliveredOnce();
            List<Call> status = f.calls(Endpoint.EXPORT_STATUS);
            assertTrue(status.stream().anyMatch(c -> c.status() == 429), "the storm happened");
            assertRetryAfterHonoured(status);
        }
    }

    @Test
    void aBlockLongerThanTheMaximumWaitEndsTheRunAndTheNextRunDoesNotCallBeforeItEnds() throws Exception {
        try (FaultFixture f = FaultFixture.start(dataDir, FaultFixture.smallParts(), Map.of("ksef.rate.max-wait", "PT2S"))) {
            f.simulator.inject(Endpoint.EXPORT_START, Fault.tooManyRequests(600), 1);
            assertThrows(Exception.class, f::run);
            assertThrows(Exception.class, f::run, "still blocked: the next trigger gives up at once");
            f.restart();
            assertThrows(Exception.class, f::run, "the block is in the database: a restart sees it too");
            assertEquals(1, f.calls(Endpoint.EXPORT_START).size(), "no export call while KSeF's block lasts");
            assertTrue(f.continuationPoint().isEmpty());
        }
    }

    @Test
    void serverErrorsAndConnectionResetsAreRetried() throws Exception {
        try (FaultFixture f = FaultFixture.start(dataDir, FaultFixture.smallParts(), Map.of())) {
            f.simulator.inject(Endpoint.EXPORT_START, Fault.httpStatus(503), 2);
            f.simulator.inject(Endpoint.EXPORT_STATUS, Fault.connectionReset(), 2);
            f.simulator.inject(Endpoint.CHALLENGE, Fault.httpStatus(502), 1);
            f.simulator.inject(Endpoint.PART_DOWNLOAD, Fault.httpStatus(500), 1);
            f.run();
            f.assertAllDeliveredOnce();
            assertEquals(List.of(503, 503, 201), f.calls(Endpoint.EXPORT_START).stream().map(Call::status).toList());
            assertEquals(List.of("DONE"), f.exportResults());
        }
    }

    @Test
    void serverErrorsPastTheRetryLimitEndTheRunCleanlyAndTheNextRunDelivers() throws Exception {
        try (FaultFixture f = FaultFixture.start(dataDir, FaultFixture.smallParts(), Map.of("ksef.retry.max-redeliveries", "2"))) {
            f.simulator.inject(Endpoint.EXPORT_START, Fault.httpStatus(503), 3);
            assertThrows(Exception.class, f::run);
            assertEquals(3, f.calls(Endpoint.EXPORT_START).size(), "one call and two retries, then the run gives up");
            assertTrue(f.continuationPoint().isEmpty());
            assertEquals(List.of(), f.harness.drain(SyncHarness.QUEUES.get(FaultFixture.SUBJECT)));
            f.run();
            f.assertAllDeliveredOnce();
        }
    }

    @Test
    void anAccessTokenRejectedMidRunIsRefreshedAndTheCallRetried() throws Exception {
        try (FaultFixture f = FaultFixture.start(dataDir, FaultFixture.smallParts(), Map.of())) {
            f.simulator.inject(Endpoint.EXPORT_STATUS, Fault.httpStatus(401), 1);
            f.run();
            f.assertAllDeliveredOnce();
            assertEquals(1, f.calls(Endpoint.REFRESH).size());
            assertEquals(1, f.calls(Endpoint.REDEEM).size(), "no second login");
        }
    }

    @Test
    void anAccessTokenThatExpiresMidRunIsRenewedWhenKsefRefusesIt() throws Exception {
        // tokens live 1 s in KSeF, while the bundle's clock (skewed by -5 min of margin) still holds them valid
        var config = FaultFixture.smallParts().accessTokenTtl(Duration.ofSeconds(1)).pollsBeforeReady(20);
        try (FaultFixture f = FaultFixture.start(dataDir, config, Map.of("ksef.auth.refresh-margin", "-PT5M"))) {
            f.run();
            f.assertAllDeliveredOnce();
            assertTrue(f.calls(Endpoint.EXPORT_STATUS).stream().anyMatch(c -> c.status() == 401), "KSeF refused an expired token");
            assertTrue(f.calls(Endpoint.REFRESH).stream().anyMatch(c -> c.status() == 200), "renewed by refresh");
            assertEquals(1, f.calls(Endpoint.REDEEM).size(), "no second login");
        }
    }

    @Test
    void aRunThatBeginsWithAStaleAccessTokenRefreshesItFirst() throws Exception {
        // a margin as long as the token's life: every call after the login finds it due for refresh, the next run's first one too
        try (FaultFixture f = FaultFixture.start(dataDir, FaultFixture.smallParts(), Map.of("ksef.auth.refresh-margin", "PT15M"))) {
            f.run();
            int refreshes = f.calls(Endpoint.REFRESH).size();
            f.run();
            f.assertAllDeliveredOnce();
            assertTrue(f.calls(Endpoint.REFRESH).size() > refreshes, "the second run refreshed");
            assertTrue(f.calls(Endpoint.REFRESH).stream().allMatch(c -> c.status() == 200), "every refresh accepted");
            assertEquals(1, f.calls(Endpoint.REDEEM).size(), "no second login");
        }
    }

    @Test
    void aRevokedSessionIsReplacedByANewLoginWithOneRedeemEach() throws Exception {
        try (FaultFixture f = FaultFixture.start(dataDir, FaultFixture.smallParts(), Map.of())) {
            f.simulator.inject(Endpoint.EXPORT_START, Fault.exportResult(420), 1);
            f.run(); // logs in; the window is "beyond the HWM" this time, nothing delivered
            f.simulator.revokeSessions();
            f.simulator.inject(Endpoint.EXPORT_START, Fault.httpStatus(401), 1);
            f.run();
            f.assertAllDeliveredOnce();
            assertEquals(List.of(400), f.calls(Endpoint.REFRESH).stream().map(Call::status).toList(), "refresh refused after revocation");
            assertEquals(List.of(200, 200), f.calls(Endpoint.REDEEM).stream().map(Call::status).toList(), "one redeem per login");
        }
    }

    @Test
    void aPartWithWrongBytesOrAnHtmlPageIsDownloadedAgainWithAFreshLink() throws Exception {
        try (FaultFixture f = FaultFixture.start(dataDir, FaultFixture.smallParts(), Map.of())) {
            f.simulator.inject(Endpoint.PART_DOWNLOAD, Fault.wrongBytes(), 1);
            f.simulator.inject(Endpoint.PART_DOWNLOAD, Fault.htmlPage(), 1);
            f.run();
            f.assertAllDeliveredOnce();
            int parts = Integer.parseInt(f.column("SELECT parts FROM export_run").get(0));
            assertTrue(parts > 2, "a multi-part package");
            assertEquals(parts + 2, f.calls(Endpoint.PART_DOWNLOAD).size(), "the first part twice more");
            // before the first part: polls until the package is ready (as many as the simulator takes to build it)
            List<Call> calls = f.simulator.calls();
            int firstPart = calls.indexOf(calls.stream().filter(c -> c.endpoint() == Endpoint.PART_DOWNLOAD).findFirst().orElseThrow());
            assertEquals(2, calls.subList(firstPart, calls.size()).stream().filter(c -> c.endpoint() == Endpoint.EXPORT_STATUS).count(),
                    "one status call for fresh links per failure");
            assertTrue(f.calls(Endpoint.PART_DOWNLOAD).stream().noneMatch(Call::authorizationHeader));
        }
    }

    @Test
    void partLinksOlderThanTheirMaximumAgeAreRenewedBeforeTheDownload() throws Exception {
        try (FaultFixture f = FaultFixture.start(dataDir, FaultFixture.smallParts(), Map.of("ksef.package.link-max-age", "PT0S"))) {
            f.run();
            f.assertAllDeliveredOnce();
            List<Call> calls = f.simulator.calls();
            int partDownloads = 0;
            for (int i = 0; i < calls.size(); i++) {
                if (calls.get(i).endpoint() == Endpoint.PART_DOWNLOAD) {
                    partDownloads++;
                    assertEquals(Endpoint.EXPORT_STATUS, calls.get(i - 1).endpoint(), "a status call for fresh links right before each part");
                }
            }
            assertTrue(partDownloads > 2, "a multi-part package");
        }
    }

    @Test
    void expiredPartLinksAreRenewedByANewStatusCall() throws Exception {
        // links live 1 s (whole seconds, rounded up: at most 2 s); the first download is slower than that, so the
        // links it was given with have expired when it is answered, and the next use of one is refused
        try (FaultFixture f = FaultFixture.start(dataDir, FaultFixture.smallParts().partUrlTtl(Duration.ofSeconds(1)), Map.of())) {
            f.simulator.inject(Endpoint.PART_DOWNLOAD, Fault.slow(2_500), 1);
            f.run();
            f.assertAllDeliveredOnce();
            assertTrue(f.calls(Endpoint.PART_DOWNLOAD).stream().anyMatch(c -> c.status() == 403), "an expired link was refused");
        }
    }

    @Test
    void aPartFailingEveryAttemptFailsTheRunAndTheNextRunResumesTheSameExport() throws Exception {
        try (FaultFixture f = FaultFixture.start(dataDir, FaultFixture.smallParts(), Map.of("ksef.package.part-attempts", "2"))) {
            f.simulator.inject(Endpoint.PART_DOWNLOAD, Fault.htmlPage(), 2);
            assertThrows(Exception.class, f::run);
            assertTrue(f.continuationPoint().isEmpty(), "continuation point unchanged");
            assertEquals(List.of("RUNNING"), f.exportResults(), "the export stays resumable");
            assertTrue(f.column("SELECT sealed_key FROM export_run").get(0) != null);
            f.restart();
            f.run();
            f.assertAllDeliveredOnce();
            assertEquals(1, f.calls(Endpoint.EXPORT_START).size(), "resumed, not exported again");
            assertEquals(List.of("DONE"), f.exportResults());
            assertEquals(java.util.Collections.singletonList(null), f.column("SELECT sealed_key FROM export_run"), "key material cleared");
        }
    }

    @Test
    void aStuckExportIsAbandonedAfterTheDeadlineAndReplaced() throws Exception {
        try (FaultFixture f = FaultFixture.start(dataDir, FaultFixture.smallParts(), Map.of("ksef.export.deadline", "PT1S"))) {
            f.simulator.inject(Endpoint.EXPORT_START, Fault.stuckExport(), 1);
            f.run();
            f.assertAllDeliveredOnce();
            assertEquals(List.of("ABANDONED", "DONE"), f.exportResults());
        }
    }

    @Test
    void anAbandonedExportStillCountsAgainstKsefsLimitOfRunningExports() throws Exception {
        try (FaultFixture f = FaultFixture.start(dataDir, FaultFixture.smallParts(),
                Map.of("ksef.export.deadline", "PT1S", "ksef.export.max-in-flight", "1"))) {
            f.simulator.inject(Endpoint.EXPORT_START, Fault.stuckExport(), 1);
            assertThrows(Exception.class, f::run, "abandoned, and no room for a replacement");
            assertEquals(List.of("ABANDONED"), f.exportResults());
            assertEquals(1, f.calls(Endpoint.EXPORT_START).size(), "no export started over the limit");
            assertTrue(f.continuationPoint().isEmpty());
        }
    }

    @Test
    void anExpiredExport210IsReplacedByANewExportOfTheSameWindow() throws Exception {
        try (FaultFixture f = FaultFixture.start(dataDir, FaultFixture.smallParts(), Map.of())) {
            f.simulator.inject(Endpoint.EXPORT_START, Fault.exportResult(210), 1);
            f.run();
            f.assertAllDeliveredOnce();
            assertEquals(List.of("EXPIRED", "DONE"), f.exportResults());
            List<String> windows = f.column("SELECT window_from FROM export_run ORDER BY started_at");
            assertEquals(windows.get(0), windows.get(1), "same window");
        }
    }

    @Test
    void aKeyKsefCannotDecrypt415FetchesTheCertificatesAgainAndReplacesTheExport() throws Exception {
        try (FaultFixture f = FaultFixture.start(dataDir, FaultFixture.smallParts(), Map.of())) {
            f.simulator.inject(Endpoint.EXPORT_START, Fault.exportResult(415), 1);
            f.run();
            f.assertAllDeliveredOnce();
            assertEquals(List.of("FAILED", "DONE"), f.exportResults());
            assertEquals(2, f.calls(Endpoint.PUBLIC_KEYS).size());
        }
    }

    @Test
    void status410ClosesTheExportAndTheNextRunStartsANewOne() throws Exception {
        try (FaultFixture f = FaultFixture.start(dataDir, FaultFixture.smallParts(), Map.of())) {
            f.simulator.inject(Endpoint.EXPORT_STATUS, Fault.httpStatus(410), 1);
            assertThrows(Exception.class, f::run);
            assertEquals(List.of("EXPIRED"), f.exportResults());
            f.run();
            f.assertAllDeliveredOnce();
            assertEquals(List.of("EXPIRED", "DONE"), f.exportResults());
        }
    }

    @Test
    void status550Or500FailsTheRunAndTheNextTriggerTriesAgain() throws Exception {
        try (FaultFixture f = FaultFixture.start(dataDir, FaultFixture.smallParts(), Map.of())) {
            f.simulator.inject(Endpoint.EXPORT_START, Fault.exportResult(550), 1);
            f.simulator.inject(Endpoint.EXPORT_START, Fault.exportResult(500), 1);
            assertThrows(Exception.class, f::run);
            assertThrows(Exception.class, f::run);
            assertTrue(f.continuationPoint().isEmpty());
            f.run();
            f.assertAllDeliveredOnce();
            assertEquals(List.of("FAILED", "FAILED", "DONE"), f.exportResults());
        }
    }

    /** No call of the group started while a 429's Retry-After was running. */
    static void assertRetryAfterHonoured(List<Call> calls) {
        for (int i = 0; i < calls.size(); i++) {
            Call blocked = calls.get(i);
            if (blocked.status() != 429) {
                continue;
            }
            var until = blocked.at().plusSeconds(blocked.retryAfter());
            for (Call later : calls.subList(i + 1, calls.size())) {
                assertFalse(later.at().isBefore(until), "call at " + later.at() + " inside the Retry-After window until " + until);
            }
        }
    }
}
