package dev.ksef.sync.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the tenants benchmark reads about a process from outside: its CPU time and peak RSS from /proc, the
 * collections in its GC log (heap before and after each, so peaks and the allocation between two instants), and the
 * scheduler's meters from its metrics endpoint (the delay histogram and the misfire count), as a Prometheus scraper
 * would read them.
 */
final class NodeProbe {

    /** One collection: seconds since the JVM started, heap in use before and after, in bytes. */
    record Collection(double uptime, long before, long after) {
    }

    /** The scheduler's meters at one instant: cumulative delay histogram (upper bound in seconds to count), misfires. */
    record Scrape(TreeMap<Double, Double> delayBuckets, double misfires, long bytes, long millis) {
    }

    private static final long TICKS_PER_SECOND = 100; // USER_HZ on Linux
    private static final Pattern GC = Pattern.compile("^\\[([0-9.]+)s\\].*Pause (?:Young|Full).* (\\d+)([KMG])->(\\d+)([KMG])\\((\\d+)([KMG])\\)");
    private static final Pattern BUCKET = Pattern.compile("^ksef_scheduler_delay_seconds_bucket\\{.*le=\"([^\"]+)\".*\\} ([0-9.eE+-]+)$");
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private NodeProbe() {
    }

    /** CPU time (user + system) of process {@code pid} in milliseconds, or -1 when it is gone. */
    static long cpuMillis(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            // fields 14 and 15 of stat (utime, stime), counted from the state field (3)
            return (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 1000 / TICKS_PER_SECOND;
        } catch (Exception e) {
            return -1;
        }
    }

    /** A line of /proc/pid/status in bytes ({@code VmHWM}, {@code VmRSS}), or -1. */
    static long status(long pid, String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith(field + ":")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (Exception e) {
            // gone
        }
        return -1;
    }

    /** The collections of a {@code -Xlog:gc:file=...:uptime} log. */
    static List<Collection> collections(Path gcLog) throws java.io.IOException {
        List<Collection> all = new ArrayList<>();
        if (!Files.exists(gcLog)) {
            return all;
        }
        for (String line : Files.readAllLines(gcLog)) {
            Matcher m = GC.matcher(line);
            if (m.find()) {
                all.add(new Collection(Double.parseDouble(m.group(1)), bytes(m.group(2), m.group(3)), bytes(m.group(4), m.group(5))));
            }
        }
        return all;
    }

    private static long bytes(String n, String unit) {
        return Long.parseLong(n) << switch (unit) {
            case "K" -> 10;
            case "M" -> 20;
            default -> 30;
        };
    }

    /** Scrapes the metrics endpoint (Prometheus text); null when it does not answer. */
    static Scrape scrape(String url) {
        long started = System.nanoTime();
        try {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                return null;
            }
            TreeMap<Double, Double> buckets = new TreeMap<>();
            double misfires = 0;
            for (String line : response.body().split("\n")) {
                Matcher m = BUCKET.matcher(line);
                if (m.find()) {
                    buckets.put(m.group(1).equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(m.group(1)), Double.parseDouble(m.group(2)));
                } else if (line.startsWith("ksef_scheduler_misfires_total")) {
                    misfires = Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                }
            }
            return new Scrape(buckets, misfires, response.body().length(), (System.nanoTime() - started) / 1_000_000);
        } catch (Exception e) {
            return null;
        }
    }

    /**
     * The {@code q} quantile of the delays recorded between two scrapes, in seconds: the upper bound of the histogram
     * bucket it falls in (NaN without delays).
     */
    static double quantile(Scrape from, Scrape to, double q) {
        Map<Double, Double> start = from == null ? Map.of() : from.delayBuckets();
        double total = to.delayBuckets().getOrDefault(Double.POSITIVE_INFINITY, 0.0) - start.getOrDefault(Double.POSITIVE_INFINITY, 0.0);
        if (total <= 0) {
            return Double.NaN;
        }
        for (var bucket : to.delayBuckets().entrySet()) {
            if (bucket.getValue() - start.getOrDefault(bucket.getKey(), 0.0) >= q * total) {
                return bucket.getKey();
            }
        }
        return Double.POSITIVE_INFINITY;
    }

    /** Runs counted by the delay histogram between two scrapes. */
    static long fired(Scrape from, Scrape to) {
        double start = from == null ? 0 : from.delayBuckets().getOrDefault(Double.POSITIVE_INFINITY, 0.0);
        return Math.round(to.delayBuckets().getOrDefault(Double.POSITIVE_INFINITY, 0.0) - start);
    }
}
