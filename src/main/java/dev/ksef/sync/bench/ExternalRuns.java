package dev.ksef.sync.bench;

import dev.ksef.sync.simulator.KsefSimulator;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The external-broker part of the benchmark: the cold application processes ({@link ColdRun}) with each heap limit
 * asked for, and the table that prints them beside the publishing runs into the same standalone broker.
 */
final class ExternalRuns {

    private ExternalRuns() {
    }

    static List<Map<String, String>> coldProcesses(Map<String, String> o, List<String> jvm, StandaloneBroker broker, Path work, int invoices,
                                                   int padding, long partSize) throws Exception {
        List<Map<String, String>> results = new ArrayList<>();
        // the cold processes' own JVM options (--once-jvm), else those of every child
        List<String> onceJvm = o.containsKey("--once-jvm") ? List.of(o.get("--once-jvm").trim().split("\\s+")) : jvm;
        List<String> heaps = List.of(o.getOrDefault("--once-heaps", "default,256m").split(","));
        int runs = Integer.parseInt(o.getOrDefault("--once-runs", "2"));
        if (runs == 0) {
            return results;
        }
        try (KsefSimulator simulator = ColdRun.simulator(invoices, padding, partSize)) {
            OffsetDateTime from = ColdRun.initialFrom(simulator, invoices);
            // a first run, not counted, warms the simulator (KSeF is a warm server) and the broker
            List<String> plan = new ArrayList<>(List.of("default"));
            for (String heap : heaps) {
                for (int i = 0; i < runs; i++) {
                    plan.add(heap);
                }
            }
            for (int n = 0; n < plan.size(); n++) {
                String heap = plan.get(n);
                String label = "cold --once" + (o.containsKey("--launcher") ? " (launcher)" : "") + (n == 0 ? " (warm-up)" : "");
                Map<String, String> r = ColdRun.run(label, launch(o, onceJvm, heap), launchEnv(o, onceJvm, heap), simulator, from, broker,
                        work.resolve("once-" + n), "bench.once." + n);
                List<String> log = ColdRun.log(r);
                if (o.containsKey("--once-logs")) {
                    Files.write(Files.createDirectories(Path.of(o.get("--once-logs"))).resolve("once-" + n + ".log"), log);
                }
                r.put("heapLimit", heap);
                if (n > 0) {
                    results.add(r);
                }
            }
        }
        return results;
    }

    /** {@code java [options] -jar <jar>}, or the launcher script. */
    private static List<String> launch(Map<String, String> o, List<String> jvm, String heap) {
        if (o.containsKey("--launcher")) {
            return List.of(Path.of(o.get("--launcher")).toAbsolutePath().toString());
        }
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        if (!heap.equals("default")) {
            command.add("-Xmx" + heap);
        }
        command.addAll(jvm);
        command.addAll(List.of("-jar", applicationJar()));
        return command;
    }

    private static Map<String, String> launchEnv(Map<String, String> o, List<String> jvm, String heap) {
        Map<String, String> env = new LinkedHashMap<>();
        if (o.containsKey("--launcher")) {
            env.put("JAVA_OPTS", ((heap.equals("default") ? "" : "-Xmx" + heap + " ") + String.join(" ", jvm)).trim());
            env.put("JAVA_HOME", System.getProperty("java.home"));
        }
        return env;
    }

    /** The application jar the benchmark runs from (java -jar target/ksef-camel-sync.jar bench). */
    private static String applicationJar() {
        String classPath = System.getProperty("java.class.path");
        if (classPath.contains(File.pathSeparator) || !classPath.endsWith(".jar")) {
            throw new IllegalStateException("the cold-process runs need the application jar: java -jar target/ksef-camel-sync.jar bench --external");
        }
        return Path.of(classPath).toAbsolutePath().toString();
    }

    static void print(List<Map<String, String>> rows) {
        if (rows.isEmpty()) {
            return;
        }
        System.out.printf("%nexternal broker: standalone Artemis over TCP, persistent, transacted batches of 500%n");
        System.out.printf("%-40s %7s %9s %9s %9s %14s %12s%n", "run", "-Xmx", "invoices", "wall ms", "cpu ms", "broker cpu ms", "invoices/s");
        for (Map<String, String> r : rows) {
            if (!r.containsKey("firstCallMs") && r.containsKey("wallMs")) {
                System.out.printf("%-40s %7s %9s %9s %9s %14s %12.0f%n", r.get("mode"), r.get("heapLimit"), r.get("invoices"), r.get("wallMs"),
                        r.getOrDefault("cpuMs", "-"), r.getOrDefault("brokerCpuMs", "-"), rate(r.get("invoices"), r.get("wallMs")));
            } else if (!r.containsKey("wallMs")) {
                System.out.printf("%-40s %7s%n", r.get("mode"), r.get("heapLimit"));
            }
        }
        System.out.printf("%nwhole cold process (exec to exit; ms from exec unless said)%n");
        System.out.printf("%-40s %7s %8s %8s %10s %9s %11s %9s %9s %9s %9s %11s %9s%n", "run", "-Xmx", "invoices", "exit", "first call",
                "accepted", "poll after", "ready", "1st part", "download", "publish", "publish/s", "peak RSS");
        for (Map<String, String> r : rows) {
            if (r.containsKey("firstCallMs")) {
                System.out.printf("%-40s %7s %8s %8s %10s %9s %11s %9s %9s %9s %9s %11.0f %9.0f%n", r.get("mode"), r.get("heapLimit"),
                        r.get("invoices"), r.get("wallMs"), r.get("firstCallMs"), r.get("acceptedMs"), r.get("firstPollAfterAcceptMs"),
                        r.get("readySeenMs"), r.get("firstPartMs"), r.getOrDefault("downloadMs", "-"), r.getOrDefault("publishMs", "-"),
                        rate(r.get("invoices"), r.getOrDefault("publishMs", "0")), Long.parseLong(r.get("peakRssBytes")) / 1e6);
            }
        }
    }

    private static double rate(String invoices, String millis) {
        return Long.parseLong(invoices) / (Math.max(1, Long.parseLong(millis)) / 1000.0);
    }
}
