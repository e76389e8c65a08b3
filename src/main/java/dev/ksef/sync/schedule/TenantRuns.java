package dev.ksef.sync.schedule;

import dev.ksef.sync.auth.KsefSessions;
import dev.ksef.sync.export.ExportPlanner;
import dev.ksef.sync.export.ExportTracker;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one (context NIP, subject type) through the bundle's route {@code direct:ksef-sync-run}: the scheduler's fires,
 * and {@code --once}. A run's outcome is one of {@link Outcome}; a failure is logged by the route and never stops
 * another context's runs.
 */
public final class TenantRuns {

    public enum Outcome { DONE, SKIPPED, FAILED }

    /** How one run ended; {@code failure} is null unless it failed. */
    public record Result(Outcome outcome, Exception failure) {
    }

    private static final Logger LOG = LoggerFactory.getLogger("dev.ksef.sync.schedule");

    private final CamelContext context;
    private final TenantDirectory directory;
    private volatile ProducerTemplate template;

    public TenantRuns(CamelContext context, TenantDirectory directory) {
        this.context = context;
        this.directory = directory;
    }

    /** One run until caught up; {@code initialFrom} (may be empty) is where a first sync starts. */
    public Result run(String nip, String subjectType, String initialFrom, boolean recovering) {
        if (!directory.synced(nip)) {
            // removed or disabled since the job was scheduled: the next reconciliation deletes the job
            LOG.info("{} {}: no longer a tenant to sync; this fire is skipped", nip, subjectType);
            return new Result(Outcome.SKIPPED, null);
        }
        if (recovering) {
            LOG.info("{} {}: recovering a run a failed node had in progress", nip, subjectType);
        }
        Exchange result = template().send("direct:ksef-sync-run", exchange -> {
            exchange.setProperty(KsefSessions.CONTEXT_NIP, nip);
            exchange.setProperty(ExportPlanner.SUBJECT_TYPE, subjectType);
            exchange.setProperty("ksefDestination", "");
            if (initialFrom != null && !initialFrom.isBlank()) {
                exchange.setProperty(ExportPlanner.INITIAL_FROM, initialFrom);
            }
            exchange.setProperty(ExportTracker.CATCH_UP, true);
        });
        if (result.getException() != null) {
            return new Result(Outcome.FAILED, result.getException());
        }
        return new Result(result.getProperty(RunFence.HELD, false, Boolean.class) ? Outcome.DONE : Outcome.SKIPPED, null);
    }

    private ProducerTemplate template() {
        ProducerTemplate t = template;
        if (t == null) {
            synchronized (this) {
                if (template == null) {
                    template = context.createProducerTemplate();
                }
                t = template;
            }
        }
        return t;
    }
}
