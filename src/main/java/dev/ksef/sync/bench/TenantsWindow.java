package dev.ksef.sync.bench;

import dev.ksef.sync.simulator.Call;
import dev.ksef.sync.simulator.KsefSimulator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The tenants benchmark's measurement of a running node: waits for it to serve its metrics, lets the warm-up pass
 * (printing a line a minute), takes the window's start and end readings, and prints what the node did in between.
 */
final class TenantsWindow {

    /** Readings at one instant. */
    private record Reading(Instant at, long nodeCpuMs, long simulatorCpuMs, Map<Long, Long> postgresCpuMs, NodeProbe.Scrape scrape) {
    }

    private final Process node;
    private final Instant started;
    private final KsefSimulator simulator;
    private final String dbUrl;
    private final String database;
    private final String user;
    private final String metricsUrl;
    private final Path work;
    private final int contexts;
    private final int compress;
    private final int step;
    private NodeProbe.Scrape lastScrape;
    private long largestScrapeBytes;
    private long slowestScrapeMs;

    TenantsWindow(Process node, Instant started, KsefSimulator simulator, String dbUrl, String database, String user, String metricsUrl,
                  Path work, int contexts, int compress, int step) {
        this.node = node;
        this.started = started;
        this.simulator = simulator;
        this.dbUrl = dbUrl;
        this.database = database;
        this.user = user;
        this.metricsUrl = metricsUrl;
        this.work = work;
        this.contexts = contexts;
        this.compress = compress;
        this.step = step;
    }

    void run(double warmupMinutes, double minutes) throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofMinutes(5));
        while ((lastScrape = NodeProbe.scrape(metricsUrl)) == null) {
            if (!node.isAlive() || Instant.now().isAfter(deadline)) {
                tail(30);
                throw new IllegalStateException("the node did not start (exit " + (node.isAlive() ? "-" : node.exitValue()) + ")");
            }
            Thread.sleep(1000);
        }
        System.out.printf("node serving after %d s%n", Duration.between(started, Instant.now()).toSeconds());
        try (Connection db = DriverManager.getConnection(dbUrl, user, null)) {
            pass(db, Instant.now().plusMillis((long) (warmupMinutes * 60_000)), "warm-up");
            Reading from = read(db);
            pass(db, from.at().plusMillis((long) (minutes * 60_000)), "window");
            Reading to = read(db);
            report(db, from, to);
        }
    }

    /** Waits until {@code until}, scraping every 30 s as Prometheus would and printing a line a minute. */
    private void pass(Connection db, Instant until, String phase) throws Exception {
        Instant minute = Instant.now();
        long cpu = NodeProbe.cpuMillis(node.pid());
        long simulatorCpu = Measure.processCpuNanos() / 1_000_000;
        while (Instant.now().isBefore(until)) {
            if (!node.isAlive()) {
                tail(30);
                throw new IllegalStateException("the node exited with " + node.exitValue());
            }
            Thread.sleep(Math.min(30_000, Math.max(1, Duration.between(Instant.now(), until).toMillis())));
            scrape();
            if (Duration.between(minute, Instant.now()).toSeconds() >= 59 || !Instant.now().isBefore(until)) {
                double seconds = Duration.between(minute, Instant.now()).toMillis() / 1000.0;
                long nowCpu = NodeProbe.cpuMillis(node.pid());
                long nowSimulator = Measure.processCpuNanos() / 1_000_000;
                System.out.printf("  %-7s %5.1f min: node %.2f cores, RSS %d MB; exports done %d in the last %.0f s; simulator %.2f cores; 429s so far %d%n",
                        phase, Duration.between(started, Instant.now()).toMillis() / 60_000.0, (nowCpu - cpu) / 1000.0 / seconds,
                        NodeProbe.status(node.pid(), "VmRSS") >> 20, exports(db, minute, Instant.now()), seconds,
                        (nowSimulator - simulatorCpu) / 1000.0 / seconds, simulator.calls().stream().filter(c -> c.status() == 429).count());
                minute = Instant.now();
                cpu = nowCpu;
                simulatorCpu = nowSimulator;
            }
        }
    }

    private void scrape() {
        NodeProbe.Scrape s = NodeProbe.scrape(metricsUrl);
        if (s != null) {
            lastScrape = s;
            largestScrapeBytes = Math.max(largestScrapeBytes, s.bytes());
            slowestScrapeMs = Math.max(slowestScrapeMs, s.millis());
        }
    }

    private Reading read(Connection db) throws SQLException {
        scrape();
        Map<Long, Long> postgres = new HashMap<>();
        try (PreparedStatement s = db.prepareStatement("SELECT pid FROM pg_stat_activity WHERE datname = ? AND pid <> pg_backend_pid()")) {
            s.setString(1, database);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    postgres.put(r.getLong(1), NodeProbe.cpuMillis(r.getLong(1)));
                }
            }
        }
        return new Reading(Instant.now(), NodeProbe.cpuMillis(node.pid()), Measure.processCpuNanos() / 1_000_000, postgres, lastScrape);
    }

    private long exports(Connection db, Instant from, Instant to) throws SQLException {
        try (PreparedStatement s = db.prepareStatement("SELECT COUNT(*) FROM export_run WHERE finished_at >= ? AND finished_at < ?")) {
            s.setTimestamp(1, Timestamp.from(from));
            s.setTimestamp(2, Timestamp.from(to));
            try (ResultSet r = s.executeQuery()) {
                r.next();
                return r.getLong(1);
            }
        }
    }

    private void report(Connection db, Reading from, Reading to) throws Exception {
        double seconds = Duration.between(from.at(), to.at()).toMillis() / 1000.0;
        double hours = seconds / 3600;
        Map<String, long[]> byResult = new TreeMap<>();
        long done = 0;
        try (PreparedStatement s = db.prepareStatement("SELECT result, subject_type, COUNT(*), COALESCE(SUM(invoices), 0), COALESCE(SUM(published), 0) "
                + "FROM export_run WHERE finished_at >= ? AND finished_at < ? GROUP BY result, subject_type")) {
            s.setTimestamp(1, Timestamp.from(from.at()));
            s.setTimestamp(2, Timestamp.from(to.at()));
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    byResult.put(r.getString(1) + " " + r.getString(2), new long[] {r.getLong(3), r.getLong(4), r.getLong(5)});
                    done += r.getString(1).equals("DONE") || r.getString(1).equals("NO_DATA") ? r.getLong(3) : 0;
                }
            }
        }
        long all = byResult.values().stream().mapToLong(v -> v[0]).sum();
        long invoices = byResult.values().stream().mapToLong(v -> v[1]).sum();
        long nonEmpty = countNonEmpty(db, from.at(), to.at());
        double due = contexts * 2.0 * seconds / (step * 60.0);
        long cpuMs = to.nodeCpuMs() - from.nodeCpuMs();
        long postgresMs = to.postgresCpuMs().entrySet().stream().mapToLong(e -> e.getValue() - from.postgresCpuMs().getOrDefault(e.getKey(), 0L)).sum();
        List<Call> calls = simulator.calls().stream().filter(c -> !c.at().isBefore(from.at()) && c.at().isBefore(to.at())).toList();
        Map<String, Long> perEndpoint = calls.stream().collect(Collectors.groupingBy(c -> c.endpoint().name(), TreeMap::new, Collectors.counting()));
        long throttled = calls.stream().filter(c -> c.status() == 429).count();
        long throttledAll = simulator.calls().stream().filter(c -> c.status() == 429).count();

        double u0 = Duration.between(started, from.at()).toMillis() / 1000.0;
        double u1 = Duration.between(started, to.at()).toMillis() / 1000.0;
        List<NodeProbe.Collection> gcs = NodeProbe.collections(work.resolve("gc.log"));
        long peak = 0;
        long live = 0;
        long allocated = 0;
        int collections = 0;
        for (int i = 0; i < gcs.size(); i++) {
            NodeProbe.Collection c = gcs.get(i);
            if (c.uptime() >= u0 && c.uptime() < u1) {
                collections++;
                peak = Math.max(peak, c.before());
                live = Math.max(live, c.after());
                allocated += c.before() - (i == 0 ? 0 : gcs.get(i - 1).after());
            }
        }
        long peakAll = gcs.stream().mapToLong(NodeProbe.Collection::before).max().orElse(0);
        long logWarnings = logLines(" WARN ");
        long logErrors = logLines(" ERROR ");
        long skipped = logLines("this fire is skipped");

        System.out.printf("%nTenants on one node: %d contexts, Subject1 and Subject2 every %d min%s; window of %.1f min after a warm-up%n", contexts, step,
                compress == 1 ? "" : String.format(" (the fire rate of %d tenants every 15 min: %dx compressed)", contexts * compress, compress), seconds / 60);
        System.out.printf("  runs due (Subject1/Subject2 fires)      %8.0f   = %,.0f an hour%n", due, due / hours);
        System.out.printf("  runs started (scheduler)                %8d   misfired (skipped): %.0f; fence-skipped (whole run): %d%n",
                NodeProbe.fired(from.scrape(), to.scrape()), to.scrape().misfires() - (from.scrape() == null ? 0 : from.scrape().misfires()), skipped);
        System.out.printf("  exports completed                       %8d   = %,.0f an hour (%d non-empty, %d invoices)%n", done, done / hours, nonEmpty, invoices);
        byResult.forEach((k, v) -> System.out.printf("      %-34s %6d exports, %d invoices, %d published%n", k, v[0], v[1], v[2]));
        System.out.printf("  scheduler delay p50 / p99               <= %.3f s / <= %.3f s (histogram bucket bounds)%n",
                NodeProbe.quantile(from.scrape(), to.scrape(), 0.5), NodeProbe.quantile(from.scrape(), to.scrape(), 0.99));
        System.out.printf("  node CPU                                %8.1f s = %.2f cores on average; %.1f ms per export%n", cpuMs / 1000.0,
                cpuMs / 1000.0 / seconds, all == 0 ? 0 : (double) cpuMs / all);
        System.out.printf("  node heap (GC log)                      peak in use %d MB (whole run %d MB), after collection at most %d MB; %d collections;%n"
                        + "                                          allocated %,d MB = %.0f KB per export%n",
                peak >> 20, peakAll >> 20, live >> 20, collections, allocated >> 20, all == 0 ? 0 : allocated / 1024.0 / all);
        System.out.printf("  node RSS                                peak (VmHWM) %d MB, now %d MB%n", NodeProbe.status(node.pid(), "VmHWM") >> 20,
                NodeProbe.status(node.pid(), "VmRSS") >> 20);
        System.out.printf("  PostgreSQL backends CPU                 %8.1f s = %.2f cores; %.1f ms per export%n", postgresMs / 1000.0, postgresMs / 1000.0 / seconds,
                all == 0 ? 0 : (double) postgresMs / all);
        System.out.printf("  simulator (bench JVM) CPU               %8.1f s = %.2f cores%n", (to.simulatorCpuMs() - from.simulatorCpuMs()) / 1000.0,
                (to.simulatorCpuMs() - from.simulatorCpuMs()) / 1000.0 / seconds);
        System.out.printf("  KSeF calls in the window                %8d   %s%n", calls.size(), perEndpoint);
        System.out.printf("  429 Too Many Requests                   %8d   (whole run: %d)%n", throttled, throttledAll);
        System.out.printf("  metrics scrape                          %,d bytes at most, %d ms at most%n", largestScrapeBytes, slowestScrapeMs);
        System.out.printf("  node log                                %d WARN, %d ERROR lines (whole run)%n", logWarnings, logErrors);
        Files.readAllLines(work.resolve("node.log")).stream().filter(l -> l.contains(" ERROR ") || l.contains(" WARN "))
                .map(l -> l.length() > 240 ? l.substring(0, 240) : l).distinct().limit(5).forEach(l -> System.out.println("  | " + l));
    }

    private long countNonEmpty(Connection db, Instant from, Instant to) throws SQLException {
        try (PreparedStatement s = db.prepareStatement("SELECT COUNT(*) FROM export_run WHERE finished_at >= ? AND finished_at < ? AND invoices > 0")) {
            s.setTimestamp(1, Timestamp.from(from));
            s.setTimestamp(2, Timestamp.from(to));
            try (ResultSet r = s.executeQuery()) {
                r.next();
                return r.getLong(1);
            }
        }
    }

    private long logLines(String text) throws java.io.IOException {
        try (var lines = Files.lines(work.resolve("node.log"))) {
            return lines.filter(l -> l.contains(text)).count();
        }
    }

    private void tail(int lines) throws java.io.IOException {
        List<String> all = Files.readAllLines(work.resolve("node.log"));
        all.stream().skip(Math.max(0, all.size() - lines)).forEach(l -> System.out.println("  | " + l));
    }
}
