package dev.ksef.sync.schedule;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ksef.sync.Secrets;
import dev.ksef.sync.app.AppDatabase;
import dev.ksef.sync.tenant.Tenant;
import dev.ksef.sync.tenant.TenantStore;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.quartz.JobKey;

/**
 * The scheduler's jobs follow the tenant table (one per NIP and subject type, one nightly reconciliation per NIP),
 * and a reconciliation job reconciles its NIP.
 */
class TenantSchedulerTest {

    private static final String A = "5265877635";
    private static final String B = "7740001454";

    @TempDir
    Path dir;

    @Test
    void jobsFollowTheTenantTableAndEachNipIsReconciledByItsOwnJob() throws Exception {
        Map<String, String> settings = Map.of("ksef.subject-types", "Subject1,Subject2", "ksef.sync.Subject1.cron", "0 0 0 1 1 ? 2099",
                "ksef.sync.Subject2.cron", "0 0 0 1 1 ? 2099", "ksef.reconcile.cron", "* * * * * ?", "ksef.scheduler.refresh-interval", "PT1H");
        try (var dataSource = AppDatabase.open("", "", "", dir); var camel = new DefaultCamelContext()) {
            TenantStore store = new TenantStore(dataSource);
            store.add(Tenant.of(A, "A", List.of("Subject1", "Subject2"), Tenant.Credential.CERTIFICATE, null, Map.of(), null));
            TenantDirectory directory = new TenantDirectory(store, key -> settings.getOrDefault(key, ""), () -> new Secrets(Map.of()), List::of);
            Set<String> reconciled = ConcurrentHashMap.newKeySet();
            TenantScheduler scheduler = new TenantScheduler(dataSource, directory, new TenantRuns(camel, directory), reconciled::add,
                    key -> settings.getOrDefault(key, ""), "test", new TenantScheduler.Observer() {
                        @Override
                        public void fired(long delayMillis) {
                        }

                        @Override
                        public void misfired() {
                        }
                    });
            scheduler.start();
            scheduler.onCamelContextFullyStarted(camel, false);
            try {
                assertEquals(Set.of(A + ".Subject1", A + ".Subject2", A), names(scheduler));
                await().atMost(Duration.ofSeconds(10)).until(() -> reconciled.contains(A));

                store.add(Tenant.of(B, "B", List.of("Subject2"), Tenant.Credential.CERTIFICATE, null, Map.of(), null));
                store.setEnabled(A, false);
                scheduler.refresh();
                assertEquals(Set.of(B + ".Subject2", B), names(scheduler), "a disabled tenant's jobs go, a new one's come");
                await().atMost(Duration.ofSeconds(10)).until(() -> reconciled.contains(B));
                assertTrue(!scheduler.clustered(), "H2: one node, in-memory store");
            } finally {
                scheduler.stop();
            }
        }
    }

    private static Set<String> names(TenantScheduler scheduler) throws Exception {
        return scheduler.jobs().stream().map(JobKey::getName).collect(Collectors.toCollection(TreeSet::new));
    }
}
