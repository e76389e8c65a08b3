package dev.ksef.sync.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ksef.sync.app.AppDatabase;
import dev.ksef.sync.app.OnceRun;
import dev.ksef.sync.app.SyncApp;
import dev.ksef.sync.simulator.KsefSimulator;
import dev.ksef.sync.simulator.SimInvoice;
import dev.ksef.sync.simulator.SimulatorConfig;
import dev.ksef.sync.tenant.Tenant;
import dev.ksef.sync.tenant.TenantStore;
import dev.ksef.sync.tenant.TenantTokens;
import jakarta.jms.TextMessage;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tenants of one node (H2): every tenant's invoices reach the queues once, each with its context NIP; an invoice between
 * two tenants reaches the seller's Subject1 and the buyer's Subject2; a tenant whose token KSeF refuses fails its own
 * runs with one line each and holds up nobody else.
 */
class TenantSyncTest {

    @TempDir
    Path dataDir;

    @Test
    void everyTenantIsSyncedAndABrokenCredentialFailsOnlyItsOwnRuns() throws Exception {
        SimulatorConfig config = new SimulatorConfig().unlimited().generatedContexts(3).invoicesPerContext(12).invoiceSpan(Duration.ofDays(2))
                .partSize(6_000);
        try (KsefSimulator simulator = new KsefSimulator(config).start()) {
            OffsetDateTime now = simulator.clock().now();
            String a = simulator.nips().get(0);
            String b = simulator.nips().get(1);
            String c = simulator.nips().get(2);
            SimInvoice shared = simulator.addInvoiceBetween(a, c, now.minusHours(2));
            String storeKey = Base64.getEncoder().encodeToString("tenant sync test store key 32 b!".getBytes(StandardCharsets.US_ASCII));
            Map<String, String> settings = new HashMap<>(Map.of("ksef.nip", "", "ksef.token", "", "ksef.store.key", storeKey));
            SyncHarness harness = new SyncHarness(simulator, dataDir, settings);

            // the tenants as `tenant add` stores them: B holds C's token, which KSeF refuses in B's context
            TenantTokens tokens = new TenantTokens(storeKey);
            try (var dataSource = AppDatabase.open("", "", "", dataDir)) {
                TenantStore store = new TenantStore(dataSource);
                store.add(Tenant.of(a, "A", Tenant.SUBJECT_TYPES, Tenant.Credential.TOKEN, tokens.seal(a, simulator.ksefToken(a)), Map.of(), null));
                store.add(Tenant.of(b, "B", Tenant.SUBJECT_TYPES, Tenant.Credential.TOKEN, tokens.seal(b, simulator.ksefToken(c)), Map.of(), null));
                store.add(Tenant.of(c, "C", List.of("Subject2"), Tenant.Credential.TOKEN, tokens.seal(c, simulator.ksefToken(c)), Map.of(), null));
            }

            ByteArrayOutputStream out = new ByteArrayOutputStream();
            Map<String, Set<String>> received = new HashMap<>();
            List<String> twice = new ArrayList<>();
            int exit;
            try (SyncApp app = harness.start(now.minusDays(3))) {
                exit = OnceRun.run(app, 4, new PrintStream(out, true, StandardCharsets.UTF_8));
                // what a consumer of the (embedded) broker reads
                for (String subjectType : SyncHarness.subjectTypes()) {
                    for (TextMessage m : harness.drain(SyncHarness.QUEUES.get(subjectType))) {
                        String key = m.getStringProperty("ksefContextNip") + " " + subjectType;
                        if (!received.computeIfAbsent(key, k -> new TreeSet<>()).add(m.getStringProperty("ksefNumber"))) {
                            twice.add(key + " " + m.getStringProperty("ksefNumber"));
                        }
                    }
                }
            }
            List<String> lines = out.toString(StandardCharsets.UTF_8).lines().toList();
            assertEquals(1, exit, "a failed tenant makes the exit code 1: " + lines);
            assertEquals(9, lines.size(), "one line per (NIP, subject type): " + lines);
            assertEquals(5, lines.stream().filter(l -> (l.startsWith(a + " ") || l.startsWith(c + " ")) && l.contains(" OK ")).count(), lines.toString());
            List<String> failed = lines.stream().filter(l -> l.startsWith(b + " ")).toList();
            assertEquals(4, failed.size(), lines.toString());
            assertTrue(failed.stream().allMatch(l -> l.contains(" FAILED ") && l.contains("refused the token login")), failed.toString());
            assertTrue(lines.stream().noneMatch(l -> l.contains(simulator.ksefToken(c))), "no token printed");

            assertEquals(List.of(), twice, "nothing twice");
            for (String subjectType : SyncHarness.subjectTypes()) {
                assertEquals(numbers(simulator, a, subjectType), received.getOrDefault(a + " " + subjectType, Set.of()), "A " + subjectType);
            }
            assertEquals(numbers(simulator, c, "Subject2"), received.get(c + " Subject2"), "C's purchases");
            assertTrue(received.get(a + " Subject1").contains(shared.ksefNumber()), "the invoice between A and C, as A's sale");
            assertTrue(received.get(c + " Subject2").contains(shared.ksefNumber()), "and as C's purchase");
            assertTrue(received.keySet().stream().noneMatch(k -> k.startsWith(b + " ")), "nothing of the tenant that could not log in");
        }
    }

    private static Set<String> numbers(KsefSimulator simulator, String nip, String subjectType) {
        Set<String> numbers = new TreeSet<>();
        simulator.invoices(nip, subjectType).forEach(i -> numbers.add(i.ksefNumber()));
        return numbers;
    }
}
