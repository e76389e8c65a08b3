package dev.ksef.sync.app;

import dev.ksef.sync.KsefConfigurationException;
import dev.ksef.sync.schedule.TenantDirectory;
import dev.ksef.sync.schedule.TenantRuns;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * {@code --once}: every (NIP, subject type) of ksef.nip and the enabled tenants synced until caught up, at most
 * {@code ksef.scheduler.max-concurrent-runs} at a time (one context's failure never holds up the others), with one
 * line per (NIP, subject type) in the order of the plans. A run another node holds is reported as such and is no failure.
 */
public final class OnceRun {

    private OnceRun() {
    }

    /** @return 0 when every run completed (or another node held it), 1 otherwise */
    public static int run(SyncApp app, int parallel, PrintStream out) throws Exception {
        List<TenantDirectory.Plan> plans = List.copyOf(app.plans().values());
        if (plans.isEmpty()) {
            throw new KsefConfigurationException("nothing to sync: set ksef.nip with a credential, or add tenants "
                    + "(java -jar ksef-camel-sync.jar tenant add --nip <NIP> ...)");
        }
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, parallel), r -> {
            Thread t = new Thread(r, "ksef-once");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<String>> lines = new ArrayList<>();
            for (TenantDirectory.Plan plan : plans) {
                for (String subjectType : plan.subjectTypes()) {
                    lines.add(pool.submit(() -> line(app, plan, subjectType)));
                }
            }
            int failures = 0;
            for (Future<String> line : lines) {
                String text = line.get();
                failures += text.contains(" FAILED ") ? 1 : 0;
                out.println(text);
            }
            return failures == 0 ? 0 : 1;
        } finally {
            pool.shutdownNow();
        }
    }

    private static String line(SyncApp app, TenantDirectory.Plan plan, String subjectType) {
        long started = System.nanoTime();
        TenantRuns.Result result = app.run(plan.nip(), subjectType, plan.initialFrom());
        long millis = (System.nanoTime() - started) / 1_000_000;
        String head = String.format("%s %-17s", plan.nip(), subjectType);
        return switch (result.outcome()) {
            case DONE -> head + " OK      caught up in " + millis + " ms";
            case SKIPPED -> head + " SKIPPED running on another node";
            case FAILED -> head + " FAILED  " + result.failure().getClass().getSimpleName() + ": " + result.failure().getMessage();
        };
    }
}
