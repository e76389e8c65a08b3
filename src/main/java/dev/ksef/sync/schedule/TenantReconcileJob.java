package dev.ksef.sync.schedule;

import java.util.function.Consumer;
import org.quartz.DisallowConcurrentExecution;
import org.quartz.Job;
import org.quartz.JobExecutionContext;
import org.quartz.SchedulerException;
import org.slf4j.LoggerFactory;

/**
 * The nightly reconciliation of one NIP's subject types, on one node of the cluster (its fire time spread by the NIP,
 * like the sync's). What it finds and delivers is logged and stored by the reconciliation itself; a failure waits for
 * the next night or the {@code reconcile} command.
 */
@DisallowConcurrentExecution
public final class TenantReconcileJob implements Job {

    @Override
    @SuppressWarnings("unchecked")
    public void execute(JobExecutionContext context) {
        String nip = context.getMergedJobDataMap().getString(TenantSyncJob.NIP);
        try {
            ((Consumer<String>) context.getScheduler().getContext().get(TenantScheduler.RECONCILE)).accept(nip);
        } catch (SchedulerException | RuntimeException e) {
            LoggerFactory.getLogger("dev.ksef.sync.schedule").warn("{}: reconciliation not run: {}", nip, e.toString());
        }
    }
}
