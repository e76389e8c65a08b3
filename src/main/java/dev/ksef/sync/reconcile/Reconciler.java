package dev.ksef.sync.reconcile;

import dev.ksef.sync.KsefConfigurationException;
import dev.ksef.sync.auth.KsefSessions;
import dev.ksef.sync.download.KsefCallException;
import dev.ksef.sync.export.ExportPlanner;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the reconciliation ({@code direct:ksef-reconcile}) of every synced context and subject type, one pair after the
 * other (bean {@code ksefReconciler}): the nightly route {@code ksef-reconcile-schedule} and the command
 * {@code reconcile}. A pair that fails never stops the others; each ends as a {@link ReconcileRun} with its result.
 */
public final class Reconciler {

    private static final Logger LOG = LoggerFactory.getLogger("dev.ksef.sync.reconcile");

    private final CamelContext context;
    private final Supplier<Map<String, List<String>>> contexts;
    private volatile ProducerTemplate template;

    /** @param contexts the synced contexts now (ksef.nip and the enabled tenants): NIP to its subject types */
    public Reconciler(CamelContext context, Supplier<Map<String, List<String>>> contexts) {
        this.context = context;
        this.contexts = contexts;
    }

    /** The nightly run: every pair with {@code ksef.reconcile.days}. */
    public void scheduled() {
        if (context.getRegistry().lookupByName("ksefTenantScheduler") != null) {
            return; // the bundle's scheduler reconciles each NIP on its own nightly job, on one node of the cluster
        }
        List<ReconcileRun> runs = run(null, null);
        LOG.info("Reconciliation of {} (NIP, subject type) pairs: {} completed, {} delivered invoices the sync had not", runs.size(),
                runs.stream().filter(ReconcileRun::completed).count(), runs.stream().mapToInt(r -> r.healed).sum());
    }

    /**
     * Every pair of the synced contexts, or of {@code nip} alone (null: all), over {@code days} days (null: the setting).
     * A NIP that is not synced is one configuration line.
     */
    public List<ReconcileRun> run(String nip, Integer days) {
        Map<String, List<String>> synced = contexts.get();
        if (nip != null && !synced.containsKey(nip)) {
            throw new KsefConfigurationException("NIP " + nip + " is neither an enabled tenant nor the configured ksef.nip: nothing to reconcile");
        }
        List<ReconcileRun> runs = new ArrayList<>();
        for (var entry : synced.entrySet()) {
            if (nip == null || nip.equals(entry.getKey())) {
                for (String subjectType : entry.getValue()) {
                    runs.add(run(entry.getKey(), subjectType, days));
                }
            }
        }
        return runs;
    }

    /** One pair; its outcome whatever happened (a failure is stored and logged by the route). */
    public ReconcileRun run(String nip, String subjectType, Integer days) {
        Exchange result = template().send("direct:ksef-reconcile", exchange -> {
            exchange.setProperty(KsefSessions.CONTEXT_NIP, nip);
            exchange.setProperty(ExportPlanner.SUBJECT_TYPE, subjectType);
            if (days != null) {
                exchange.setProperty(Reconciliation.DAYS, days);
            }
        });
        ReconcileRun run = result.getProperty(Reconciliation.RUN, ReconcileRun.class);
        if (run == null) {
            run = new ReconcileRun(nip, subjectType, Clock.systemUTC().instant());
            run.result = "FAILED";
            run.failure = KsefCallException.describe(result.getException());
        }
        return run;
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
