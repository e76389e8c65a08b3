package dev.ksef.sync.metrics;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.zaxxer.hikari.HikariDataSource;
import dev.ksef.sync.app.AppDatabase;
import dev.ksef.sync.export.ExportRun;
import dev.ksef.sync.health.SyncLag;
import dev.ksef.sync.health.TestClock;
import dev.ksef.sync.store.ContinuationPoints;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

/** The bundle's meters on a host's registry found by type, fed as the tracker and the call guard feed them, with the lag read from H2. */
class SyncMetersTest {

    private static final String NIP = "5265877635";

    @TempDir
    Path dir;

    private HikariDataSource dataSource;
    private ContinuationPoints points;
    private final TestClock clock = new TestClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));
    private final CamelContext context = new DefaultCamelContext();

    @BeforeEach
    void store() {
        dataSource = AppDatabase.open("", "", "", dir);
        points = new ContinuationPoints(dataSource, "P30D");
    }

    @AfterEach
    void close() throws Exception {
        context.close();
        dataSource.close();
    }

    private SyncMeters meters() {
        SyncLag lag = SyncLag.configured(points, () -> Map.of(NIP, java.util.List.of("Subject1", "Subject2")), key -> "", clock);
        SyncMeters meters = new SyncMeters(context, lag);
        meters.start();
        return meters;
    }

    /** Each sample line is in the scrape (all checked, each missing one reported). */
    private static void assertScraped(String text, String... samples) {
        assertAll(Stream.of(samples).map(sample -> (Executable) () -> assertTrue(text.contains(sample), () -> sample + " is not in\n" + text)));
    }

    private static ExportRun completedExport(String subjectType, int published, int quarantined, int duplicates) {
        ExportRun run = new ExportRun(NIP, subjectType, "q", OffsetDateTime.now(ZoneOffset.UTC).minusDays(1), null, null);
        run.published = published;
        run.quarantined = quarantined;
        run.duplicates = duplicates;
        run.downloadStartedNanos = System.nanoTime();
        return run;
    }

    @Test
    void eventsAreCountedPerSubjectTypeAndLimitGroupInPrometheusNames() {
        PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        context.getRegistry().bind("metricsRegistry", prometheus);
        SyncMeters meters = meters();
        points.advance(NIP, "Subject1", OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC).minusMinutes(10));

        ExportRun run = completedExport("Subject1", 120, 2, 3);
        meters.partDelivered(run);
        meters.partDelivered(run);
        meters.completed(run);
        meters.completed(completedExport("Subject1", 5, 0, 0));
        meters.throttled("Subject1", "invoiceExportStatus");
        meters.waited("Subject1", "invoiceExportStatus", 1500);
        meters.waited("Subject1", "invoiceExportStatus", 500);
        meters.reconciled(NIP, "Subject1", 2);

        String text = prometheus.scrape();
        assertScraped(text,
                "ksef_invoices_published_total{nip=\"" + NIP + "\",subject_type=\"Subject1\"} 125.0",
                "ksef_invoices_quarantined_total{nip=\"" + NIP + "\",subject_type=\"Subject1\"} 2.0",
                "ksef_invoices_duplicates_total{nip=\"" + NIP + "\",subject_type=\"Subject1\"} 3.0",
                "ksef_parts_downloaded_total{nip=\"" + NIP + "\",subject_type=\"Subject1\"} 2.0",
                "ksef_export_duration_seconds_count{nip=\"" + NIP + "\",subject_type=\"Subject1\"} 2",
                "ksef_package_duration_seconds_count{nip=\"" + NIP + "\",subject_type=\"Subject1\"} 2",
                "ksef_api_throttled_total{limit_group=\"invoiceExportStatus\",subject_type=\"Subject1\"} 1.0",
                "ksef_rate_budget_wait_seconds_count{limit_group=\"invoiceExportStatus\",subject_type=\"Subject1\"} 2",
                "ksef_rate_budget_wait_seconds_sum{limit_group=\"invoiceExportStatus\",subject_type=\"Subject1\"} 2.0",
                "ksef_reconciled_total{nip=\"" + NIP + "\",subject_type=\"Subject1\"} 2.0",
                "ksef_sync_lag_seconds{nip=\"" + NIP + "\",subject_type=\"Subject1\"} 600.0");
        // a subject type without events shows at zero (and its lag since the start), so rates and alerts have a series
        assertScraped(text,
                "ksef_invoices_published_total{nip=\"" + NIP + "\",subject_type=\"Subject2\"} 0.0",
                "ksef_reconciled_total{nip=\"" + NIP + "\",subject_type=\"Subject2\"} 0.0",
                "ksef_sync_lag_seconds{nip=\"" + NIP + "\",subject_type=\"Subject2\"} 0.0");
        clock.advance(Duration.ofMinutes(5));
        assertTrue(prometheus.scrape().contains("ksef_sync_lag_seconds{nip=\"" + NIP + "\",subject_type=\"Subject2\"} 300.0"), "read on every scrape");
    }

    @Test
    void withPerNipLagOnlyTheLagAndTheReconciledCountArePerNipAndTheScrapeOfThousandsOfTenantsShrinks() throws Exception {
        PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        context.getRegistry().bind("metricsRegistry", prometheus);
        String other = "1111111111";
        SyncLag lag = SyncLag.configured(points, () -> Map.of(NIP, java.util.List.of("Subject1"), other, java.util.List.of("Subject1")), key -> "", clock);
        SyncMeters meters = new SyncMeters(context, lag, SyncMeters.PerNip.of("lag"));
        meters.start();
        meters.completed(completedExport("Subject1", 120, 2, 3));
        ExportRun theOthers = new ExportRun(other, "Subject1", "q", OffsetDateTime.now(ZoneOffset.UTC).minusDays(1), null, null);
        theOthers.published = 5;
        meters.completed(theOthers);
        meters.reconciled(other, "Subject1", 1);

        String text = prometheus.scrape();
        assertScraped(text,
                "ksef_invoices_published_total{subject_type=\"Subject1\"} 125.0",
                "ksef_export_duration_seconds_count{subject_type=\"Subject1\"} 2",
                "ksef_reconciled_total{nip=\"" + other + "\",subject_type=\"Subject1\"} 1.0",
                "ksef_reconciled_total{nip=\"" + NIP + "\",subject_type=\"Subject1\"} 0.0",
                "ksef_sync_lag_seconds{nip=\"" + NIP + "\",subject_type=\"Subject1\"}",
                "ksef_sync_lag_seconds{nip=\"" + other + "\",subject_type=\"Subject1\"}");
        assertEquals(4, text.lines().filter(l -> l.contains("nip=")).count(), "lag and reconciled of two NIPs:\n" + text);

        // 2,000 tenants with four subject types: the same scrape, with the NIP on every meter and on the lag alone
        assertTrue(scrapeOfTenants(2_000, SyncMeters.PerNip.LAG) * 4 < scrapeOfTenants(2_000, SyncMeters.PerNip.ALL));
        assertEquals(SyncMeters.PerNip.ALL, SyncMeters.PerNip.of(""));
        assertEquals("ksef.metrics.per-nip must be all or lag, not 'some'",
                org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> SyncMeters.PerNip.of("some")).getMessage());
    }

    /** The length of a Prometheus scrape of {@code tenants} NIPs' meters, each NIP with all four subject types. */
    private int scrapeOfTenants(int tenants, SyncMeters.PerNip perNip) throws Exception {
        Map<String, java.util.List<String>> contexts = new java.util.HashMap<>();
        for (int i = 0; i < tenants; i++) {
            contexts.put(String.format("%010d", 1_000_000_000L + i), java.util.List.of("Subject1", "Subject2", "Subject3", "SubjectAuthorized"));
        }
        try (CamelContext host = new DefaultCamelContext()) {
            PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
            host.getRegistry().bind("metricsRegistry", prometheus);
            new SyncMeters(host, SyncLag.configured(points, () -> contexts, key -> "", clock), perNip).start();
            return prometheus.scrape().length();
        }
    }

    @Test
    void withoutARegistryThereAreNoMetersAndARegistryBoundLaterIsFoundAtTheNextEvent() {
        SyncMeters meters = meters();
        meters.completed(completedExport("Subject1", 7, 0, 0));
        meters.throttled("Subject1", "invoiceExport");
        assertNull(meters.registry());

        SimpleMeterRegistry simple = new SimpleMeterRegistry();
        context.getRegistry().bind("hostMeters", simple);
        meters.completed(completedExport("Subject1", 4, 0, 0));
        assertEquals(4.0, simple.get("ksef.invoices.published").tag(SyncMeters.SUBJECT_TYPE, "Subject1").counter().count());
        assertEquals(1, simple.get("ksef.export.duration").tag(SyncMeters.SUBJECT_TYPE, "Subject1").timer().count());
        assertTrue(simple.get("ksef.export.duration").tag(SyncMeters.SUBJECT_TYPE, "Subject1").timer().totalTime(TimeUnit.NANOSECONDS) > 0);
    }

    @Test
    void ofSeveralRegistriesTheCompositeIsUsed() {
        SimpleMeterRegistry simple = new SimpleMeterRegistry();
        CompositeMeterRegistry composite = new CompositeMeterRegistry();
        composite.add(simple);
        context.getRegistry().bind("simpleMeters", simple);
        context.getRegistry().bind("meters", composite);
        MeterRegistry found = SyncMeters.find(context);
        assertSame(composite, found);
        meters().partDelivered(completedExport("Subject2", 0, 0, 0));
        assertEquals(1.0, simple.get("ksef.parts.downloaded").tag(SyncMeters.SUBJECT_TYPE, "Subject2").counter().count(), "through the composite");
    }
}
