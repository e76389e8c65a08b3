package dev.ksef.sync.health;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Supplier;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

/**
 * Readiness check {@code ksef-reconcile}: the newest reconciliation of every synced (context NIP, subject type), as
 * stored in {@code reconcile_run} (so every node of a cluster shows the same). DOWN when the newest one of a pair
 * FAILED or left invoices it could not deliver (PARTIAL): an invoice KSeF lists may not have reached the destination.
 * Details per pair: {@code <nip>.<subjectType>.reconciled} (invoices the newest reconciliation delivered), {@code .result},
 * {@code .at}, {@code .missing}, {@code .failed}; none before a pair's first reconciliation.
 */
public final class ReconcileCheck extends AbstractHealthCheck {

    public static final String ID = "ksef-reconcile";

    private final Supplier<Map<String, List<String>>> contexts;
    private final BiFunction<String, String, Map<String, Object>> latest;

    /**
     * @param contexts the synced contexts now: NIP to its subject types
     * @param latest the newest reconciliation of a pair (null when none)
     */
    public ReconcileCheck(Supplier<Map<String, List<String>>> contexts, BiFunction<String, String, Map<String, Object>> latest) {
        super("ksef", ID);
        this.contexts = contexts;
        this.latest = latest;
    }

    @Override
    public boolean isLiveness() {
        return false;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        List<String> bad = new ArrayList<>();
        int reconciled = 0;
        long healed = 0;
        Map<String, List<String>> synced = contexts.get();
        boolean detailed = synced.values().stream().mapToInt(List::size).sum() <= SyncLagCheck.DETAILED;
        for (var context : synced.entrySet()) {
            for (String subjectType : context.getValue()) {
                Map<String, Object> last = latest.apply(context.getKey(), subjectType);
                if (last == null) {
                    continue;
                }
                reconciled++;
                healed += ((Number) last.get("healed")).longValue();
                String result = String.valueOf(last.get("result"));
                boolean down = result.equals("FAILED") || result.equals("PARTIAL");
                if (detailed || down) {
                    String key = context.getKey() + "." + subjectType;
                    builder.detail(key + ".reconciled", last.get("healed"));
                    builder.detail(key + ".result", result);
                    builder.detail(key + ".at", last.get("at"));
                    builder.detail(key + ".missing", last.get("missing"));
                    builder.detail(key + ".failed", last.get("failed"));
                }
                if (down) {
                    bad.add(context.getKey() + " " + subjectType + " " + result + " at " + last.get("at")
                            + (last.get("note") == null ? "" : ": " + HealthText.of(String.valueOf(last.get("note")))));
                }
            }
        }
        builder.detail("reconciled", healed);
        if (bad.isEmpty()) {
            builder.up().message(reconciled == 0 ? "no reconciliation yet" : reconciled + " (NIP, subject type) pairs reconciled, "
                    + healed + " invoices delivered by their newest reconciliation");
        } else {
            builder.down().message("reconciliation incomplete for " + bad.size() + " pairs: "
                    + String.join("; ", bad.subList(0, Math.min(bad.size(), SyncLagCheck.DETAILED))));
        }
    }
}
