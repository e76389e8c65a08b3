package dev.ksef.sync.e2e;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ksef.sync.app.SyncApp;
import dev.ksef.sync.health.ReconcileCheck;
import dev.ksef.sync.reconcile.ReconcileRun;
import dev.ksef.sync.reconcile.Reconciler;
import dev.ksef.sync.simulator.Endpoint;
import dev.ksef.sync.simulator.KsefSimulator;
import dev.ksef.sync.simulator.SimInvoice;
import dev.ksef.sync.simulator.SimulatorConfig;
import dev.ksef.sync.store.SyncStatus;
import jakarta.jms.TextMessage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import javax.sql.DataSource;
import org.apache.camel.health.HealthCheck;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An export that leaves out an invoice KSeF still lists (the simulator's fault): the reconciliation finds it, downloads
 * it by number and delivers it once with ksefSource=reconciliation and the normal delivered key; a second
 * reconciliation and the next export deliver nothing again.
 */
class ReconciliationTest {

    private static final String SUBJECT = "Subject1";

    @TempDir
    Path dataDir;

    @Test
    void anInvoiceTheExportLeftOutIsDeliveredOnceAndNeverAgain() throws Exception {
        try (KsefSimulator simulator = new KsefSimulator(new SimulatorConfig().unlimited().maxInvoicesPerPackage(30).partSize(20_000)).start()) {
            OffsetDateTime now = simulator.clock().now();
            simulator.corpus().generate(60, now.minusDays(3), now.minusMinutes(5));
            List<SimInvoice> sellerInvoices = simulator.invoices(simulator.nip(), SUBJECT);
            SimInvoice left = sellerInvoices.get(sellerInvoices.size() / 2);
            simulator.omitFromExports(left.ksefNumber());
            SyncHarness harness = new SyncHarness(simulator, dataDir, Map.of("ksef.subject-types", SUBJECT, "ksef.metadata.page-size", "10"));
            String queue = SyncHarness.QUEUES.get(SUBJECT);
            try (SyncApp app = harness.start(now.minusDays(4))) {
                app.runOnce(SUBJECT);
                Set<String> exported = numbers(harness.drain(queue));
                assertEquals(sellerInvoices.size() - 1, exported.size());
                assertFalse(exported.contains(left.ksefNumber()), "the export left it out");
                assertEquals(Set.of(left.ksefNumber()), simulator.omittedFromExports());

                Reconciler reconciler = app.context().getRegistry().lookupByNameAndType("ksefReconciler", Reconciler.class);
                ReconcileRun first = reconciler.run(null, null).get(0);
                assertEquals("DONE", first.result, first.line());
                assertEquals(sellerInvoices.size(), first.listed, "every invoice of the window listed, across pages");
                assertEquals(1, first.missing);
                assertEquals(1, first.healed);
                List<TextMessage> healed = harness.drain(queue);
                assertEquals(1, healed.size());
                TextMessage message = healed.get(0);
                assertEquals(left.ksefNumber(), message.getStringProperty("ksefNumber"));
                assertEquals("reconciliation", message.getStringProperty("ksefSource"));
                assertEquals(simulator.nip() + ":" + SUBJECT + ":" + left.ksefNumber(), message.getStringProperty("_AMQ_DUPL_ID"));
                assertEquals(left.metadata().permanentStorageDate().toString(), message.getStringProperty("ksefPermanentStorageDate"));
                assertArrayEquals(left.xml(), message.getText().getBytes(StandardCharsets.UTF_8));
                assertEquals(1, simulator.calls(Endpoint.INVOICE_DOWNLOAD).size(), "only the missing invoice downloaded");
                assertTrue(simulator.calls(Endpoint.INVOICE_METADATA).size() >= 3, "pages of 10");

                ReconcileRun second = reconciler.run(simulator.nip(), null).get(0);
                assertEquals("DONE", second.result);
                assertEquals(0, second.missing);
                assertEquals(List.of(), harness.drain(queue), "nothing delivered twice");

                // the next export: new invoices only
                SimInvoice later = simulator.corpus().add(simulator.clock().now().plusSeconds(5));
                simulator.clock().advance(java.time.Duration.ofMinutes(2));
                app.runOnce(SUBJECT);
                Set<String> next = numbers(harness.drain(queue));
                assertFalse(next.contains(left.ksefNumber()));
                assertEquals(later.subjectTypes().contains(SUBJECT) ? Set.of(later.ksefNumber()) : Set.of(), next);

                // what status, the health check and the database show
                DataSource dataSource = app.context().getRegistry().findSingleByType(DataSource.class);
                Map<String, Object> status = SyncStatus.read(dataSource, simulator.nip(), List.of(SUBJECT)).get(0);
                @SuppressWarnings("unchecked")
                Map<String, Object> reconciliation = (Map<String, Object>) status.get("lastReconciliation");
                assertEquals("DONE", reconciliation.get("result"));
                assertEquals(1L, reconciliation.get("healedTotal"));
                HealthCheck.Result health = app.context().getRegistry().lookupByNameAndType("ksefReconcileCheck", ReconcileCheck.class).call();
                assertEquals(HealthCheck.State.UP, health.getState());
                assertEquals(0, health.getDetails().get(simulator.nip() + "." + SUBJECT + ".reconciled"));
                try (var c = dataSource.getConnection(); var r = c.createStatement().executeQuery(
                        "SELECT ksef_number, outcome FROM reconcile_invoice")) {
                    assertTrue(r.next());
                    assertEquals(left.ksefNumber(), r.getString(1));
                    assertEquals("DELIVERED", r.getString(2));
                    assertFalse(r.next());
                }
            }
        }
    }

    @Test
    void aTenantsGapIsHealedUnderItsOwnNip() throws Exception {
        String client = "7352765225";
        try (KsefSimulator simulator = new KsefSimulator(new SimulatorConfig().unlimited()).start()) {
            OffsetDateTime now = simulator.clock().now();
            String clientToken = simulator.addContext(client);
            SimInvoice bought = simulator.addInvoiceBetween(simulator.nip(), client, now.minusDays(1));
            SimInvoice other = simulator.addInvoiceBetween(simulator.nip(), client, now.minusHours(2));
            simulator.omitFromExports(bought.ksefNumber());
            String storeKey = java.util.Base64.getEncoder().encodeToString(new byte[32]);
            SyncHarness harness = new SyncHarness(simulator, dataDir, Map.of("ksef.subject-types", "Subject2", "ksef.store.key", storeKey));
            String queue = SyncHarness.QUEUES.get("Subject2");
            try (SyncApp app = harness.start(now.minusDays(2))) {
                new dev.ksef.sync.tenant.TenantStore(app.context().getRegistry().findSingleByType(DataSource.class)).add(
                        dev.ksef.sync.tenant.Tenant.of(client, "Client", List.of("Subject2"), dev.ksef.sync.tenant.Tenant.Credential.TOKEN,
                                new dev.ksef.sync.tenant.TenantTokens(storeKey).seal(client, clientToken), Map.of(), now.minusDays(2).toString()));
                app.runOnce(client, "Subject2");
                assertEquals(Set.of(other.ksefNumber()), numbers(harness.drain(queue)));

                ReconcileRun run = app.context().getRegistry().lookupByNameAndType("ksefReconciler", Reconciler.class).run(client, null).get(0);
                assertEquals(client + " Subject2 DONE 1", run.nip + " " + run.subjectType + " " + run.result + " " + run.healed, run.line());
                TextMessage healed = harness.drain(queue).get(0);
                assertEquals(bought.ksefNumber(), healed.getStringProperty("ksefNumber"));
                assertEquals(client, healed.getStringProperty("ksefContextNip"));
                assertEquals(client + ":Subject2:" + bought.ksefNumber(), healed.getStringProperty("ksefMessageId"));
                assertEquals("reconciliation", healed.getStringProperty("ksefSource"));
            }
        }
    }

    private static Set<String> numbers(List<TextMessage> messages) throws Exception {
        Set<String> numbers = new TreeSet<>();
        for (TextMessage m : messages) {
            assertTrue(numbers.add(m.getStringProperty("ksefNumber")), "once: " + m.getStringProperty("ksefNumber"));
        }
        return numbers;
    }
}
