package dev.ksef.sync.schedule;

import dev.ksef.sync.tenant.TenantStore;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TimeZone;
import java.util.function.Function;
import javax.sql.DataSource;
import org.apache.camel.support.service.ServiceSupport;
import org.quartz.CronScheduleBuilder;
import org.quartz.CronTrigger;
import org.quartz.JobBuilder;
import org.quartz.JobDetail;
import org.quartz.JobKey;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.SimpleScheduleBuilder;
import org.quartz.Trigger;
import org.quartz.TriggerBuilder;
import org.quartz.TriggerKey;
import org.quartz.impl.StdSchedulerFactory;
import org.quartz.impl.matchers.GroupMatcher;
import org.quartz.utils.ConnectionProvider;
import org.quartz.utils.DBConnectionManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bundle's own Quartz scheduler: one durable, recoverable, non-concurrent job per (context NIP, subject type), kept
 * in step with {@link TenantDirectory} by a reconciliation job every {@code ksef.scheduler.refresh-interval}. On
 * PostgreSQL it is Quartz's clustered JDBC job store on the bundle's tables (Flyway creates them), so each fire runs on
 * one node and a dead node's runs are recovered by another; elsewhere (the embedded H2) an in-memory store on one node.
 * Fire times are spread by a hash of the NIP ({@link CronSpread}); the thread pool bounds the runs on this node. The
 * scheduler is the bundle's alone: it is never bound in the registry, so a host's camel-quartz keeps its own.
 */
public final class TenantScheduler extends ServiceSupport implements org.apache.camel.ExtendedStartupListener {

    /** What the scheduler tells the meters: how late each run started against its cron, and fires it had to drop. */
    public interface Observer {
        /** A (NIP, subject type) run starts {@code delayMillis} after the time its trigger was due. */
        void fired(long delayMillis);

        /** A fire came too late (past the misfire threshold, no free thread or node down) and was dropped or moved. */
        void misfired();
    }

    static final String GROUP = "ksef-sync";
    static final String RUNS = "ksefTenantRuns";
    static final String SCHEDULER = "ksefTenantScheduler";
    static final String RECONCILE = "ksefReconcile";
    static final String RECONCILE_GROUP = "ksef-reconcile";
    static final String OBSERVER = "ksefSchedulerObserver";
    private static final Logger LOG = LoggerFactory.getLogger("dev.ksef.sync.schedule");
    private static final java.time.Duration FULL_CHECK = java.time.Duration.ofMinutes(10);

    private final DataSource dataSource;
    private final TenantDirectory directory;
    private final TenantRuns runs;
    private final java.util.function.Consumer<String> reconcile;
    private final Function<String, String> settings;
    private final String name;
    private final Observer observer;
    private Scheduler scheduler;
    private boolean clustered;
    /** The tenant table's version the jobs were last brought in step with on this node, and when to check them all anyway. */
    private TenantStore.Version inStep;
    private long fullCheckNanos;

    /**
     * @param name the scheduler's name, the same on every node of a cluster (the CamelContext's name)
     * @param reconcile the reconciliation of one NIP's subject types (its nightly job)
     * @param settings a setting's value ("" when unset)
     */
    public TenantScheduler(DataSource dataSource, TenantDirectory directory, TenantRuns runs, java.util.function.Consumer<String> reconcile,
                           Function<String, String> settings, String name, Observer observer) {
        this.reconcile = reconcile;
        this.observer = observer;
        this.dataSource = dataSource;
        this.directory = directory;
        this.runs = runs;
        this.settings = settings;
        this.name = name;
    }

    @Override
    public void onCamelContextStarted(org.apache.camel.CamelContext context, boolean alreadyStarted) {
    }

    /** Fires begin once every route runs (a fire before would find no consumer of the run route). */
    @Override
    public void onCamelContextFullyStarted(org.apache.camel.CamelContext context, boolean alreadyStarted) throws Exception {
        startScheduler();
    }

    private synchronized void startScheduler() throws Exception {
        if (scheduler != null) {
            return;
        }
        clustered = postgres();
        String connections = "ksef-sync-" + name + "-" + System.identityHashCode(this);
        Properties p = new Properties();
        p.setProperty(StdSchedulerFactory.PROP_SCHED_INSTANCE_NAME, "ksef-sync-" + name);
        String instanceId = setting("ksef.scheduler.instance-id", "");
        p.setProperty(StdSchedulerFactory.PROP_SCHED_INSTANCE_ID, instanceId.isEmpty() ? "AUTO" : instanceId);
        p.setProperty("org.quartz.scheduler.skipUpdateCheck", "true");
        p.setProperty("org.quartz.scheduler.jmx.export", "false");
        p.setProperty("org.quartz.threadPool.threadCount", setting("ksef.scheduler.max-concurrent-runs", "32"));
        p.setProperty("org.quartz.threadPool.threadNamePrefix", "ksef-sync-run");
        p.setProperty("org.quartz.jobStore.misfireThreshold", "60000");
        if (clustered) {
            DBConnectionManager.getInstance().addConnectionProvider(connections, new Connections(dataSource));
            p.setProperty("org.quartz.jobStore.class", "org.quartz.impl.jdbcjobstore.JobStoreTX");
            p.setProperty("org.quartz.jobStore.driverDelegateClass", "org.quartz.impl.jdbcjobstore.PostgreSQLDelegate");
            p.setProperty("org.quartz.jobStore.dataSource", connections);
            p.setProperty("org.quartz.jobStore.tablePrefix", "qrtz_");
            p.setProperty("org.quartz.jobStore.useProperties", "true");
            p.setProperty("org.quartz.jobStore.isClustered", "true");
            p.setProperty("org.quartz.jobStore.clusterCheckinInterval", setting("ksef.scheduler.cluster-checkin-interval-ms", "7500"));
            p.setProperty("org.quartz.jobStore.acquireTriggersWithinLock", "true");
        } else {
            p.setProperty("org.quartz.jobStore.class", "org.quartz.simpl.RAMJobStore");
        }
        StdSchedulerFactory factory = new StdSchedulerFactory();
        factory.initialize(p);
        scheduler = factory.getScheduler();
        scheduler.getContext().put(RUNS, runs);
        scheduler.getContext().put(SCHEDULER, this);
        scheduler.getContext().put(RECONCILE, reconcile);
        scheduler.getContext().put(OBSERVER, observer);
        scheduler.getListenerManager().addTriggerListener(new Misfires(observer), GroupMatcher.triggerGroupEquals(GROUP));
        refresh();
        JobDetail refresher = JobBuilder.newJob(TenantJobsRefresh.class).withIdentity("refresh", GROUP + "-directory").storeDurably().build();
        Trigger every = TriggerBuilder.newTrigger().withIdentity("refresh", GROUP + "-directory").forJob(refresher)
                .withSchedule(SimpleScheduleBuilder.repeatSecondlyForever((int) java.time.Duration.parse(
                        setting("ksef.scheduler.refresh-interval", "PT30S")).toSeconds()).withMisfireHandlingInstructionNextWithRemainingCount())
                .build();
        scheduler.scheduleJob(refresher, Set.of(every), true);
        scheduler.start();
        LOG.info("Scheduler {} started: {} (NIP, subject type) jobs, {} store, at most {} runs at once on this node", scheduler.getSchedulerInstanceId(),
                scheduler.getJobKeys(GroupMatcher.jobGroupEquals(GROUP)).size(), clustered ? "clustered PostgreSQL" : "in-memory",
                setting("ksef.scheduler.max-concurrent-runs", "32"));
    }

    @Override
    protected synchronized void doStop() throws Exception {
        if (scheduler != null) {
            // runs in progress finish (each holds its fence; an export stays resumable either way)
            scheduler.shutdown(true);
            scheduler = null;
        }
    }

    /**
     * Brings the jobs in step with the directory: new (NIP, subject type) scheduled, changed crons rescheduled, gone ones
     * deleted; and, with {@code ksef.reconcile.enabled}, one nightly reconciliation job per NIP.
     */
    public synchronized void refresh() throws SchedulerException {
        // thousands of jobs cost a store query each: only when the tenants changed, and every FULL_CHECK in case
        // something else changed the jobs (a node with other settings, a hand in the tables)
        TenantStore.Version version = directory.version();
        if (version.equals(inStep) && System.nanoTime() - fullCheckNanos < FULL_CHECK.toNanos()) {
            return;
        }
        Map<JobKey, String> wanted = new HashMap<>();
        Map<JobKey, String> initialFrom = new HashMap<>();
        Map<JobKey, String> reconciliations = new HashMap<>();
        boolean reconcileEnabled = Boolean.parseBoolean(setting("ksef.reconcile.enabled", "true"));
        directory.plans().forEach((nip, plan) -> {
            for (String subjectType : plan.subjectTypes()) {
                JobKey key = JobKey.jobKey(nip + "." + subjectType, GROUP);
                wanted.put(key, CronSpread.spread(directory.cron(plan, subjectType), nip));
                initialFrom.put(key, plan.initialFrom());
            }
            if (reconcileEnabled) {
                reconciliations.put(JobKey.jobKey(nip, RECONCILE_GROUP), CronSpread.spread(setting("ksef.reconcile.cron", "0 30 3 * * ?"), nip));
            }
        });
        refreshReconciliations(reconciliations);
        int added = 0;
        int changed = 0;
        int removed = 0;
        for (JobKey existing : scheduler.getJobKeys(GroupMatcher.jobGroupEquals(GROUP))) {
            if (!wanted.containsKey(existing)) {
                scheduler.deleteJob(existing);
                removed++;
            }
        }
        for (var job : wanted.entrySet()) {
            TriggerKey triggerKey = TriggerKey.triggerKey(job.getKey().getName(), GROUP);
            Trigger current = scheduler.getTrigger(triggerKey);
            if (current instanceof CronTrigger cron && cron.getCronExpression().equals(job.getValue())) {
                continue;
            }
            String[] names = job.getKey().getName().split("\\.", 2);
            JobDetail detail = JobBuilder.newJob(TenantSyncJob.class).withIdentity(job.getKey()).storeDurably().requestRecovery()
                    .usingJobData(TenantSyncJob.NIP, names[0]).usingJobData(TenantSyncJob.SUBJECT_TYPE, names[1])
                    .usingJobData(TenantSyncJob.INITIAL_FROM, initialFrom.get(job.getKey()) == null ? "" : initialFrom.get(job.getKey()))
                    .build();
            Trigger trigger = TriggerBuilder.newTrigger().withIdentity(triggerKey).forJob(detail)
                    .withSchedule(misfire(CronScheduleBuilder.cronSchedule(job.getValue())
                            .inTimeZone(TimeZone.getTimeZone(setting("ksef.scheduler.time-zone", "Europe/Warsaw"))), job.getValue()))
                    .build();
            scheduler.scheduleJob(detail, Set.of(trigger), true);
            if (current == null) {
                added++;
            } else {
                changed++;
            }
        }
        if (added + changed + removed > 0) {
            LOG.info("Tenant jobs: {} added, {} rescheduled, {} removed; {} in all", added, changed, removed, wanted.size());
        }
        inStep = version;
        fullCheckNanos = System.nanoTime();
    }

    /** The nightly reconciliation jobs, one per NIP, in step with {@code wanted} (NIP job key to its spread cron). */
    private void refreshReconciliations(Map<JobKey, String> wanted) throws SchedulerException {
        for (JobKey existing : scheduler.getJobKeys(GroupMatcher.jobGroupEquals(RECONCILE_GROUP))) {
            if (!wanted.containsKey(existing)) {
                scheduler.deleteJob(existing);
            }
        }
        for (var job : wanted.entrySet()) {
            TriggerKey triggerKey = TriggerKey.triggerKey(job.getKey().getName(), RECONCILE_GROUP);
            if (scheduler.getTrigger(triggerKey) instanceof CronTrigger cron && cron.getCronExpression().equals(job.getValue())) {
                continue;
            }
            JobDetail detail = JobBuilder.newJob(TenantReconcileJob.class).withIdentity(job.getKey()).storeDurably()
                    .usingJobData(TenantSyncJob.NIP, job.getKey().getName()).build();
            Trigger trigger = TriggerBuilder.newTrigger().withIdentity(triggerKey).forJob(detail)
                    .withSchedule(misfire(CronScheduleBuilder.cronSchedule(job.getValue())
                            .inTimeZone(TimeZone.getTimeZone(setting("ksef.scheduler.time-zone", "Europe/Warsaw"))), job.getValue()))
                    .build();
            scheduler.scheduleJob(detail, Set.of(trigger), true);
        }
    }

    /** A frequent trigger skips fires missed while the cluster was down (the HWM loses nothing); a daily one fires once at once. */
    private static CronScheduleBuilder misfire(CronScheduleBuilder builder, String cron) {
        return CronSpread.periodSeconds(cron) <= 3600 ? builder.withMisfireHandlingInstructionDoNothing()
                : builder.withMisfireHandlingInstructionFireAndProceed();
    }

    /** The jobs scheduled now: runs ({@code <nip>.<subjectType>}) and nightly reconciliations ({@code <nip>}). */
    public Set<JobKey> jobs() throws SchedulerException {
        Set<JobKey> all = new java.util.HashSet<>(scheduler.getJobKeys(GroupMatcher.jobGroupEquals(GROUP)));
        all.addAll(scheduler.getJobKeys(GroupMatcher.jobGroupEquals(RECONCILE_GROUP)));
        return all;
    }

    public boolean clustered() {
        return clustered;
    }

    private String setting(String key, String fallback) {
        String value = settings.apply(key);
        return value == null || value.isBlank() ? fallback : value.strip();
    }

    private boolean postgres() throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            return c.getMetaData().getDatabaseProductName().toLowerCase(java.util.Locale.ROOT).contains("postgres");
        }
    }

    /** Tells the observer of each (NIP, subject type) fire Quartz found too late. */
    private static final class Misfires extends org.quartz.listeners.TriggerListenerSupport {
        private final Observer observer;

        Misfires(Observer observer) {
            this.observer = observer;
        }

        @Override
        public String getName() {
            return "ksef-sync-misfires";
        }

        @Override
        public void triggerMisfired(Trigger trigger) {
            observer.misfired();
        }
    }

    /** Quartz's connections from the bundle's DataSource: no second pool, no password in Quartz's properties. */
    private record Connections(DataSource dataSource) implements ConnectionProvider {
        @Override
        public Connection getConnection() throws SQLException {
            return dataSource.getConnection();
        }

        @Override
        public void shutdown() {
        }

        @Override
        public void initialize() {
        }
    }
}
