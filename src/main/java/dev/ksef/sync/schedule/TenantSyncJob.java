package dev.ksef.sync.schedule;

import org.quartz.DisallowConcurrentExecution;
import org.quartz.Job;
import org.quartz.JobDataMap;
import org.quartz.JobExecutionContext;
import org.quartz.SchedulerException;

/**
 * One fire of a (context NIP, subject type): the run goes through the bundle's route on this Quartz thread. Never two
 * at once for one job in the cluster as Quartz sees it; the run's fence covers what Quartz does not (a node paused past
 * its check-in). How late the run starts against its cron goes to the scheduler's observer. A failed run is logged by the route and leaves the export resumable; the next fire tries again.
 */
@DisallowConcurrentExecution
public final class TenantSyncJob implements Job {

    static final String NIP = "nip";
    static final String SUBJECT_TYPE = "subjectType";
    static final String INITIAL_FROM = "initialFrom";

    @Override
    public void execute(JobExecutionContext context) {
        JobDataMap data = context.getMergedJobDataMap();
        try {
            if (context.getScheduledFireTime() != null && !context.isRecovering()) {
                ((TenantScheduler.Observer) context.getScheduler().getContext().get(TenantScheduler.OBSERVER))
                        .fired(Math.max(0, System.currentTimeMillis() - context.getScheduledFireTime().getTime()));
            }
            TenantRuns runs = (TenantRuns) context.getScheduler().getContext().get(TenantScheduler.RUNS);
            runs.run(data.getString(NIP), data.getString(SUBJECT_TYPE), data.getString(INITIAL_FROM), context.isRecovering());
        } catch (SchedulerException e) {
            throw new IllegalStateException("the scheduler lost its context", e);
        }
    }
}
