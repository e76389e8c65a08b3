package dev.ksef.sync.bench;

import dev.ksef.sync.app.SyncApp;
import dev.ksef.sync.app.Broker;
import dev.ksef.sync.simulator.Call;
import dev.ksef.sync.simulator.Endpoint;
import dev.ksef.sync.simulator.KsefSimulator;
import dev.ksef.sync.simulator.SimulatorConfig;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import javax.sql.DataSource;

/**
 * A whole run against the simulator over loopback: download, checks, dedup against the JDBC store, persistent publish
 * to the embedded Artemis, continuation point. The simulator runs in the orchestrating JVM (it stands in for a remote
 * KSeF); the bundle runs in the child with its own heap limit. The figure is taken from the first part request to the
 * end of the run, so the time KSeF takes to build the package is not counted.
 */
final class E2eRun {

    private E2eRun() {
    }

    /**
     * In the orchestrator: a simulator holding {@code packages} times {@code invoices} Subject1 invoices, kept open
     * while {@code child} runs. With packages capped at {@code invoices}, the run takes the packages back to back: the
     * first in a cold JVM, the later ones warmed up, as in a process that has been running for a while.
     */
    static KsefSimulator simulator(int invoices, int packages, int padding, long partSize) {
        SimulatorConfig config = new SimulatorConfig().unlimited().partSize(partSize).maxInvoicesPerPackage(invoices)
                .maxPackageBytes(Long.MAX_VALUE / 4).pollsBeforeReady(1).hwmLag(Duration.ofSeconds(1));
        KsefSimulator simulator = new KsefSimulator(config).start();
        OffsetDateTime now = simulator.clock().now();
        simulator.corpus().padding(padding);
        // Subject1 sees about 40% of the corpus: keep adding until it holds the requested number
        while (simulator.corpus().select("Subject1", now.minusDays(11), now).size() < packages * invoices) {
            simulator.corpus().generate(Math.max(100, invoices / 4), now.minusDays(10), now.minusMinutes(1));
        }
        return simulator;
    }

    /** The child's arguments for {@code simulator}. */
    static List<String> childArgs(KsefSimulator simulator, Path dataDir) {
        return List.of("e2e", simulator.baseUrl(), simulator.nip(), simulator.clock().now().minusDays(11).toString(), dataDir.toString());
    }

    /**
     * In the orchestrator, after the child: the first package (cold), the last full one (warm), and with more than two
     * the packages after the first together (sustained: their invoices over the sum of their times). Each package is
     * timed from its first part request to the moment its export was recorded done.
     */
    static List<Map<String, String>> measured(KsefSimulator simulator, Map<String, String> child) {
        List<long[]> packages = new java.util.ArrayList<>(); // invoices, wall ms, encrypted bytes
        for (int i = 1; child.containsKey("export" + i); i++) {
            String[] export = child.get("export" + i).split(",");
            List<Call> parts = simulator.calls(Endpoint.PART_DOWNLOAD).stream().filter(c -> c.path().contains(export[0])).toList();
            long invoices = Long.parseLong(export[2]);
            // a package holds the invoices; the last export of a catch-up holds only the few stored since (not a package's worth)
            if (!parts.isEmpty() && (packages.isEmpty() || invoices * 2 > packages.get(0)[0])) {
                packages.add(new long[] {invoices, Long.parseLong(export[1]) - parts.get(0).at().toEpochMilli(),
                        parts.stream().mapToLong(Call::responseBytes).sum()});
            }
        }
        List<Map<String, String>> results = new java.util.ArrayList<>();
        if (packages.isEmpty()) {
            results.add(child);
            return results;
        }
        results.add(row(child, "end-to-end (cold)", List.of(packages.get(0))));
        if (packages.size() > 1) {
            results.add(row(child, "end-to-end (warm)", List.of(packages.get(packages.size() - 1))));
        }
        if (packages.size() > 2) {
            results.add(row(child, "end-to-end (sustained, " + (packages.size() - 1) + " packages)", packages.subList(1, packages.size())));
        }
        return results;
    }

    private static Map<String, String> row(Map<String, String> child, String mode, List<long[]> packages) {
        Map<String, String> r = new java.util.LinkedHashMap<>(child);
        r.put("mode", mode);
        r.put("invoices", Long.toString(packages.stream().mapToLong(p -> p[0]).sum()));
        r.put("wallMs", Long.toString(packages.stream().mapToLong(p -> p[1]).sum()));
        r.put("encryptedBytes", Long.toString(packages.stream().mapToLong(p -> p[2]).sum()));
        return r;
    }

    /** In the child: the bundle on a fresh data directory, Subject1 once; the KSeF token comes in KSEF_TOKEN. */
    static void child(String baseUrl, String nip, String initialFrom, Path dataDir) throws Exception {
        Map<String, String> p = new HashMap<>();
        p.put("ksef.base-url", baseUrl);
        p.put("ksef.nip", nip);
        p.put("ksef.data-dir", dataDir.toString());
        p.put("ksef.subject-types", "Subject1");
        p.put("ksef.sync.initial-from", initialFrom);
        p.put("ksef.jms.embedded-port", Integer.toString(freePort()));
        p.put("ksef.export.poll-interval-ms", "20");
        p.put("ksef.auth.poll-interval-ms", "20");
        try (SyncApp app = SyncApp.start(p, false)) {
            Measure.resetPeaks();
            app.runOnce("Subject1");
            long published = app.context().getRegistry().lookupByNameAndType("ksefBroker", Broker.class).queueDepth("ksef.invoices.subject1");
            Measure.report("end-to-end", published, 0, 0);
            DataSource dataSource = app.context().getRegistry().lookupByNameAndType("ksefDataSource", DataSource.class);
            try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
                 ResultSet r = s.executeQuery("SELECT reference_number, finished_at, published FROM export_run ORDER BY started_at")) {
                StringBuilder line = new StringBuilder("BENCH");
                for (int i = 1; r.next(); i++) {
                    line.append(" export").append(i).append('=').append(r.getString(1)).append(',')
                            .append(r.getObject(2, OffsetDateTime.class).toInstant().toEpochMilli()).append(',').append(r.getInt(3));
                }
                System.out.println(line);
            }
        }
    }

    /** A TCP port free on this machine right now, for an embedded broker's acceptor. */
    static int freePort() throws java.io.IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
