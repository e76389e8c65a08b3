package dev.ksef.sync.app;

import dev.ksef.sync.reconcile.ReconcileRun;
import dev.ksef.sync.reconcile.Reconciler;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code reconcile [--days N] [--nip N]}: one reconciliation of every synced context (ksef.nip and the enabled tenants,
 * or {@code --nip} alone) and each of its subject types, one line per pair on the output (the log on the error stream). Exit 0 when every pair completed, 1 when
 * one failed, was incomplete or skipped (a run of it in progress), 2 for a wrong command line.
 */
final class ReconcileCommand {

    static final String USAGE = "usage: java -jar ksef-camel-sync.jar reconcile [--days <1-90>] [--nip <NIP>]";

    private ReconcileCommand() {
    }

    static int run(List<String> args, Map<String, String> overrides, PrintStream out, PrintStream err) throws Exception {
        DownloadOptions.logToStandardError(out);
        DownloadOptions options;
        Integer days = null;
        try {
            options = DownloadOptions.parse("reconcile", args, Set.of("--days", "--nip"), Set.of());
            if (!options.positional.isEmpty()) {
                throw new IllegalArgumentException("reconcile: unexpected '" + options.positional.get(0) + "'");
            }
            if (options.value("--days") != null) {
                try {
                    days = Integer.parseInt(options.value("--days"));
                } catch (NumberFormatException e) {
                    days = 0;
                }
                if (days < 1 || days > 90) {
                    throw new IllegalArgumentException("reconcile: --days must be a whole number from 1 to 90, not '" + options.value("--days") + "'");
                }
            }
            options.nip("reconcile");
        } catch (IllegalArgumentException e) {
            err.println("ksef-camel-sync: " + e.getMessage());
            err.println(USAGE);
            return 2;
        }
        Application.preflight(overrides);
        try (SyncApp app = SyncApp.start(overrides, false)) {
            Reconciler reconciler = app.context().getRegistry().lookupByNameAndType("ksefReconciler", Reconciler.class);
            List<ReconcileRun> runs = reconciler.run(options.value("--nip"), days);
            int incomplete = 0;
            for (ReconcileRun run : runs) {
                out.println(run.line());
                if (!run.completed()) {
                    incomplete++;
                }
            }
            out.printf("%d (NIP, subject type) pairs reconciled, %d invoices delivered that the sync had not%s%n", runs.size(),
                    runs.stream().mapToInt(r -> r.healed).sum(), incomplete == 0 ? "" : "; " + incomplete + " not completed");
            return incomplete == 0 ? 0 : 1;
        }
    }
}
