package dev.ksef.sync.metrics;

import dev.ksef.sync.export.ExportEvents;
import dev.ksef.sync.export.ExportRun;
import dev.ksef.sync.health.SyncLag;
import dev.ksef.sync.limits.KsefCallGuard;
import dev.ksef.sync.schedule.TenantScheduler;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.camel.CamelContext;
import org.apache.camel.support.service.ServiceSupport;

/**
 * The bundle's meters, on the host's Micrometer {@link MeterRegistry} found in the Camel registry by type (the one
 * named {@code metricsRegistry} when there are several and none is a composite); without one there are no meters.
 * Micrometer names (Prometheus names in brackets), tagged {@code subject.type} ({@code subject_type}) and, for KSeF
 * calls, {@code limit.group} ({@code limit_group}):
 * {@code ksef.invoices.published}, {@code .quarantined}, {@code .duplicates} ({@code ksef_invoices_*_total}) and
 * {@code ksef.export.duration}, {@code ksef.package.duration} ({@code ksef_*_duration_seconds}) when an export
 * completes, as {@code export_run} stores them; {@code ksef.parts.downloaded} ({@code ksef_parts_downloaded_total});
 * {@code ksef.api.throttled} ({@code ksef_api_throttled_total}, 429s) and {@code ksef.rate.budget.wait}
 * ({@code ksef_rate_budget_wait_seconds}, calls that waited for the budget or a 429's block); {@code ksef.reconciled}
 * ({@code ksef_reconciled_total}, invoices the reconciliation delivered, tagged {@code nip} too); the gauge
 * {@code ksef.sync.lag} ({@code ksef_sync_lag_seconds}, as the check {@code ksef-sync-lag} computes it); and of the
 * bundle's scheduler, untagged: {@code ksef.scheduler.delay} ({@code ksef_scheduler_delay_seconds}, how late each run
 * started against its cron, with histogram buckets for its percentiles) and {@code ksef.scheduler.misfires}
 * ({@code ksef_scheduler_misfires_total}, fires found too late and skipped). The per-(NIP, subject type) meters are
 * tagged {@code nip} too; with {@link PerNip#LAG} ({@code ksef.metrics.per-nip=lag}, for thousands of tenants) only the
 * lag and the reconciled count are, and the invoice counts and durations are summed per subject type.
 */
public final class SyncMeters extends ServiceSupport implements ExportEvents, KsefCallGuard.Observer, TenantScheduler.Observer {

    public static final String SUBJECT_TYPE = "subject.type";
    public static final String NIP = "nip";
    public static final String LIMIT_GROUP = "limit.group";
    private static final String RECONCILED = "invoices KSeF listed but the sync had not delivered, delivered by the reconciliation";

    private final CamelContext context;
    private final SyncLag syncLag;
    private final PerNip perNip;
    private MeterRegistry registry;

    /** Which meters carry the {@code nip} tag ({@code ksef.metrics.per-nip}). */
    public enum PerNip {
        /** every per-(NIP, subject type) meter: about 12 series a pair in Prometheus */
        ALL,
        /** the lag and the reconciled count alone (2 series a pair); counts and durations per subject type */
        LAG;

        /** {@code all} or {@code lag} (any case); anything else is a configuration mistake. */
        public static PerNip of(String setting) {
            return switch (setting.strip().toLowerCase(java.util.Locale.ROOT)) {
                case "", "all" -> ALL;
                case "lag" -> LAG;
                default -> throw new IllegalArgumentException("ksef.metrics.per-nip must be all or lag, not '" + setting + "'");
            };
        }
    }

    public SyncMeters(CamelContext context, SyncLag syncLag) {
        this(context, syncLag, PerNip.ALL);
    }

    public SyncMeters(CamelContext context, SyncLag syncLag, PerNip perNip) {
        this.context = context;
        this.syncLag = syncLag;
        this.perNip = perNip;
    }

    /** Looks for the host's registry once the context starts (the per-subject-type meters then show at zero). */
    @Override
    protected void doStart() {
        registry();
    }

    @Override
    public void partDelivered(ExportRun run) {
        MeterRegistry r = registry();
        if (r != null) {
            counter(r, "ksef.parts.downloaded", "package parts downloaded, verified and decrypted", run.nip, run.subjectType).increment();
        }
    }

    @Override
    public void completed(ExportRun run) {
        MeterRegistry r = registry();
        if (r == null) {
            return;
        }
        counter(r, "ksef.invoices.published", "invoices published to the subject type's destination", run.nip, run.subjectType).increment(run.published);
        counter(r, "ksef.invoices.quarantined", "invoices sent to quarantine with their reason", run.nip, run.subjectType).increment(run.quarantined);
        counter(r, "ksef.invoices.duplicates", "invoices skipped as already delivered", run.nip, run.subjectType).increment(run.duplicates);
        register(r, run.nip, run.subjectType);
        exportTimer(r, run.nip, run.subjectType).record(System.nanoTime() - run.startedNanos, TimeUnit.NANOSECONDS);
        if (run.downloadStartedNanos != 0) {
            packageTimer(r, run.nip, run.subjectType).record(System.nanoTime() - run.downloadStartedNanos, TimeUnit.NANOSECONDS);
        }
    }

    /** A reconciliation of a context's subject type ended: the invoices it delivered (listed by KSeF, never delivered before). */
    public void reconciled(String nip, String subjectType, int delivered) {
        MeterRegistry r = registry();
        if (r != null) {
            reconciledCounter(r, nip, subjectType).increment(delivered);
        }
    }

    @Override
    public void throttled(String subjectType, String group) {
        MeterRegistry r = registry();
        if (r != null) {
            Counter.builder("ksef.api.throttled").description("KSeF answers 429 Too Many Requests")
                    .tags(SUBJECT_TYPE, subjectType, LIMIT_GROUP, group).register(r).increment();
        }
    }

    @Override
    public void waited(String subjectType, String group, long millis) {
        MeterRegistry r = registry();
        if (r != null) {
            Timer.builder("ksef.rate.budget.wait").description("KSeF calls held back by the rate budget or a 429's Retry-After, and for how long")
                    .tags(SUBJECT_TYPE, subjectType, LIMIT_GROUP, group).register(r).record(millis, TimeUnit.MILLISECONDS);
        }
    }

    @Override
    public void fired(long delayMillis) {
        MeterRegistry r = registry();
        if (r != null) {
            Timer.builder("ksef.scheduler.delay").description("how late each (NIP, subject type) run started against its cron")
                    .publishPercentileHistogram().serviceLevelObjectives(java.time.Duration.ofMillis(100), java.time.Duration.ofSeconds(1),
                            java.time.Duration.ofSeconds(10), java.time.Duration.ofSeconds(60)).minimumExpectedValue(java.time.Duration.ofMillis(1))
                    .maximumExpectedValue(java.time.Duration.ofMinutes(15)).register(r).record(delayMillis, TimeUnit.MILLISECONDS);
        }
    }

    @Override
    public void misfired() {
        MeterRegistry r = registry();
        if (r != null) {
            Counter.builder("ksef.scheduler.misfires").description("scheduled runs found too late (no free run slot, or the cluster down) and skipped")
                    .register(r).increment();
        }
    }

    /** The host's registry, looked up until found; the per-subject-type meters are registered when it is. */
    synchronized MeterRegistry registry() {
        if (registry == null) {
            registry = find(context);
            if (registry != null) {
                syncLag.contexts().forEach((nip, subjectTypes) -> subjectTypes.forEach(subjectType -> register(registry, nip, subjectType)));
            }
        }
        return registry;
    }

    static MeterRegistry find(CamelContext context) {
        Set<MeterRegistry> all = context.getRegistry().findByType(MeterRegistry.class);
        if (all.size() <= 1) {
            return all.stream().findFirst().orElse(null);
        }
        return all.stream().filter(CompositeMeterRegistry.class::isInstance).findFirst()
                .orElseGet(() -> {
                    MeterRegistry named = context.getRegistry().lookupByNameAndType("metricsRegistry", MeterRegistry.class);
                    return named != null ? named : all.iterator().next();
                });
    }

    private void register(MeterRegistry r, String nip, String subjectType) {
        if (r.find("ksef.sync.lag").tag(NIP, nip).tag(SUBJECT_TYPE, subjectType).gauge() != null) {
            return; // the bundle's beans were created twice (camel-main pre-parses the route folder in a jar): one set of meters
        }
        Gauge.builder("ksef.sync.lag", () -> syncLag.cached(nip, subjectType).lag().toMillis() / 1000.0)
                .description("how far the continuation point is behind now (before the first sync: time since the start)")
                .baseUnit("seconds").tag(NIP, nip).tag(SUBJECT_TYPE, subjectType).strongReference(true).register(r);
        counter(r, "ksef.invoices.published", "invoices published to the subject type's destination", nip, subjectType);
        counter(r, "ksef.invoices.quarantined", "invoices sent to quarantine with their reason", nip, subjectType);
        counter(r, "ksef.invoices.duplicates", "invoices skipped as already delivered", nip, subjectType);
        counter(r, "ksef.parts.downloaded", "package parts downloaded, verified and decrypted", nip, subjectType);
        reconciledCounter(r, nip, subjectType);
        exportTimer(r, nip, subjectType);
        packageTimer(r, nip, subjectType);
    }

    /** The tags of a count or duration of a (NIP, subject type): with the NIP, or the subject type alone ({@link PerNip#LAG}). */
    private Tags tags(String nip, String subjectType) {
        return perNip == PerNip.ALL ? Tags.of(NIP, nip, SUBJECT_TYPE, subjectType) : Tags.of(SUBJECT_TYPE, subjectType);
    }

    private Counter counter(MeterRegistry r, String name, String description, String nip, String subjectType) {
        return Counter.builder(name).description(description).tags(tags(nip, subjectType)).register(r);
    }

    private static Counter reconciledCounter(MeterRegistry r, String nip, String subjectType) {
        return Counter.builder("ksef.reconciled").description(RECONCILED).tag(NIP, nip).tag(SUBJECT_TYPE, subjectType).register(r);
    }

    private Timer exportTimer(MeterRegistry r, String nip, String subjectType) {
        return Timer.builder("ksef.export.duration").description("completed exports, from planning to the moved continuation point")
                .tags(tags(nip, subjectType)).register(r);
    }

    private Timer packageTimer(MeterRegistry r, String nip, String subjectType) {
        return Timer.builder("ksef.package.duration").description("packages of completed exports, from the first part download to the last invoice published")
                .tags(tags(nip, subjectType)).register(r);
    }
}
