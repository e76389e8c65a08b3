package dev.ksef.sync.schedule;

import org.quartz.DisallowConcurrentExecution;
import org.quartz.Job;
import org.quartz.JobExecutionContext;
import org.quartz.JobExecutionException;
import org.slf4j.LoggerFactory;

/** The tenant table applied to the scheduler's jobs, on one node of the cluster at a time. */
@DisallowConcurrentExecution
public final class TenantJobsRefresh implements Job {

    @Override
    public void execute(JobExecutionContext context) throws JobExecutionException {
        try {
            ((TenantScheduler) context.getScheduler().getContext().get(TenantScheduler.SCHEDULER)).refresh();
        } catch (Exception e) {
            // the table or the scheduler's store is unreachable now: the next fire tries again
            LoggerFactory.getLogger("dev.ksef.sync.schedule").warn("Tenant jobs not refreshed from the tenant table: {}", e.toString());
        }
    }
}
