package dev.ksef.sync.app;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ksef.sync.FreePort;
import dev.ksef.sync.api.KsefJson;
import dev.ksef.sync.crypto.KsefNumber;
import dev.ksef.sync.simulator.KsefSimulator;
import dev.ksef.sync.simulator.SimInvoice;
import dev.ksef.sync.simulator.SimulatorConfig;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The commands {@code invoices list}, {@code invoice get} and {@code reconcile}, in process, against the simulator. */
class DownloadCommandsTest {

    @TempDir
    Path dir;

    record Run(int exit, String out, byte[] bytes, String err) {
    }

    @Test
    void listGetAndReconcileFromTheCommandLine() throws Exception {
        try (KsefSimulator simulator = new KsefSimulator(new SimulatorConfig().unlimited()).start()) {
            OffsetDateTime now = simulator.clock().now();
            simulator.corpus().generate(30, now.minusDays(3), now.minusMinutes(5));
            List<SimInvoice> sold = simulator.invoices(simulator.nip(), "Subject1");
            SimInvoice left = sold.get(1);
            simulator.omitFromExports(left.ksefNumber());
            Map<String, String> settings = settings(simulator, now);
            try (SyncApp app = SyncApp.start(settings, false)) {
                app.runOnce("Subject1");
            }

            Run json = run(settings, "invoices", "list", "--subject-type", "Subject1", "--from", now.minusDays(4).toLocalDate().toString(), "--json");
            assertEquals(0, json.exit(), json.err());
            List<String> listed = new ArrayList<>();
            for (JsonNode invoice : KsefJson.mapper().readTree(json.out())) {
                listed.add(invoice.get("ksefNumber").asText());
            }
            assertEquals(sold.stream().map(SimInvoice::ksefNumber).toList(), listed);
            Run text = run(settings, "invoices", "list", "--subject-type", "Subject1", "--from", now.minusDays(4).toString(),
                    "--to", now.toString(), "--nip", simulator.nip());
            assertEquals(0, text.exit(), text.err());
            assertEquals(sold.size() + 1, text.out().lines().count(), text.out());
            assertTrue(text.out().lines().anyMatch(l -> l.startsWith(left.ksefNumber())), text.out());

            Path file = dir.resolve("invoice.xml");
            Run toFile = run(settings, "invoice", "get", left.ksefNumber(), "--out", file.toString());
            assertEquals(0, toFile.exit(), toFile.err());
            assertArrayEquals(left.xml(), Files.readAllBytes(file));
            Run toOut = run(settings, "invoice", "get", left.ksefNumber());
            assertArrayEquals(left.xml(), toOut.bytes());
            String unknown = KsefNumber.of(simulator.nip(), LocalDate.now(), "0000000000CC");
            Run refused = run(settings, "invoice", "get", unknown);
            assertEquals(1, refused.exit());
            assertTrue(refused.err().contains("KSeF answered HTTP 400: 21164"), refused.err());

            Run reconcile = run(settings, "reconcile", "--days", "7");
            assertEquals(0, reconcile.exit(), reconcile.out() + reconcile.err());
            assertTrue(reconcile.out().contains(simulator.nip() + " Subject1: reconciliation DONE") && reconcile.out().contains(", 1 delivered now,"),
                    reconcile.out());
            Run again = run(settings, "reconcile", "--nip", simulator.nip());
            assertEquals(0, again.exit());
            assertTrue(again.out().contains(", 0 delivered now,"), again.out());

            // a wrong command line: one line and the usage, exit code 2, nothing started
            assertEquals(2, run(settings, "invoices", "list", "--subject-type", "Seller", "--from", "2026-01-01").exit());
            assertEquals(2, run(settings, "invoices", "list", "--subject-type", "Subject1", "--from", "yesterday").exit());
            Run badNumber = run(settings, "invoice", "get", "12345");
            assertEquals(2, badNumber.exit());
            assertTrue(badNumber.err().startsWith("ksef-camel-sync: invoice get: '12345' is not a KSeF number"), badNumber.err());
            assertEquals(2, run(settings, "reconcile", "--days", "0").exit());
        }
    }

    private Map<String, String> settings(KsefSimulator simulator, OffsetDateTime now) throws Exception {
        Map<String, String> p = new HashMap<>();
        p.put("ksef.base-url", simulator.baseUrl());
        p.put("ksef.nip", simulator.nip());
        p.put("ksef.token", simulator.ksefToken());
        p.put("ksef.data-dir", dir.resolve("data").toString());
        p.put("ksef.sync.initial-from", now.minusDays(4).toString());
        p.put("ksef.subject-types", "Subject1");
        p.put("ksef.jms.embedded-port", Integer.toString(FreePort.next()));
        p.put("ksef.export.poll-interval-ms", "20");
        p.put("ksef.auth.poll-interval-ms", "20");
        return p;
    }

    private static Run run(Map<String, String> settings, String... args) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        List<String> arguments = List.of(args);
        List<String> rest = arguments.subList(1, arguments.size());
        try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8); PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            int exit = switch (arguments.get(0)) {
                case "invoices" -> InvoicesCommand.run(rest, settings, o, e);
                case "invoice" -> InvoiceCommand.run(rest, settings, o, e);
                default -> ReconcileCommand.run(rest, settings, o, e);
            };
            return new Run(exit, out.toString(StandardCharsets.UTF_8), out.toByteArray(), err.toString(StandardCharsets.UTF_8));
        }
    }
}
