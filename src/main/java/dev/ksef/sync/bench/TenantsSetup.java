package dev.ksef.sync.bench;

import dev.ksef.sync.app.AppDatabase;
import dev.ksef.sync.simulator.KsefSimulator;
import dev.ksef.sync.tenant.Tenant;
import dev.ksef.sync.tenant.TenantStore;
import dev.ksef.sync.tenant.TenantTokens;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/** The tenants benchmark's data: the tenant table as an office would import it, and new invoices while it runs. */
final class TenantsSetup {

    private TenantsSetup() {
    }

    /**
     * Every context of the simulator as a tenant of the database (migrated first), in one import: logging in with the
     * office certificate (which every context granted InvoiceRead), or each with its own KSeF token sealed with the store key.
     */
    static void importTenants(String dbUrl, String user, Path work, KsefSimulator simulator, String storeKey, boolean certificate,
                              List<String> subjectTypes) {
        try (var dataSource = AppDatabase.open(dbUrl, user, "", work, 30_000, 2, "")) {
            TenantTokens tokens = new TenantTokens(storeKey);
            List<Tenant> tenants = new ArrayList<>();
            for (String nip : simulator.nips()) {
                tenants.add(certificate
                        ? Tenant.of(nip, "Client " + nip, subjectTypes, Tenant.Credential.CERTIFICATE, null, Map.of(), null)
                        : Tenant.of(nip, "Client " + nip, subjectTypes, Tenant.Credential.TOKEN, tokens.seal(nip, simulator.ksefToken(nip)), Map.of(), null));
            }
            new TenantStore(dataSource).upsertAll(tenants);
        }
    }

    /** A daemon thread adding invoices between two random tenants (the seller's Subject1, the buyer's Subject2) at {@code perSecond}. */
    static Thread trickle(KsefSimulator simulator, double perSecond) {
        List<String> nips = simulator.nips();
        Thread thread = new Thread(() -> {
            double due = 0;
            try {
                while (perSecond > 0 && !Thread.currentThread().isInterrupted()) {
                    Thread.sleep(1000);
                    for (due += perSecond; due >= 1; due--) {
                        ThreadLocalRandom random = ThreadLocalRandom.current();
                        int seller = random.nextInt(nips.size());
                        int buyer = (seller + 1 + random.nextInt(nips.size() - 1)) % nips.size();
                        simulator.addInvoiceBetween(nips.get(seller), nips.get(buyer), simulator.clock().now());
                    }
                }
            } catch (InterruptedException e) {
                // the run is over
            }
        }, "bench-new-invoices");
        thread.setDaemon(true);
        thread.start();
        return thread;
    }
}
