package dev.ksef.sync.bench;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code java -jar ksef-camel-sync.jar bench [options]}: builds a package with the simulator's corpus, then runs, each
 * in its own JVM with its own heap limit, the bundle's CPU stages on the parts from disk, the in-memory approach of the
 * official SDKs on the same parts, the floors of this machine (the CPU stages each alone on one core, and publishing
 * the package's invoices with nothing else to do), and a whole end-to-end run against the simulator; prints
 * invoices/s, MB/s of encrypted input, wall time, process CPU time, peak heap and peak RSS of each.
 *
 * <pre>
 *   --invoices N        invoices in the package (default 10000, KSeF's maximum)
 *   --padding BYTES     extra bytes per invoice, to reach a package size (default 0; 131072 gives about 1 GB)
 *   --part-size BYTES   part size (default 5 MiB; KSeF uses up to 50 MiB)
 *   --pipeline-heap X   -Xmx of the CPU-stage run (default 48m)
 *   --baseline-heap X   -Xmx of the in-memory run (default 2g)
 *   --e2e-heap X        -Xmx of the end-to-end run (default 128m); --skip-e2e leaves it out
 *   --packages N        packages of the end-to-end run, back to back (default 2: cold and warm; more adds a sustained figure)
 *   --warmups N         unmeasured passes of the CPU-stage and in-memory runs before their three measured ones
 *                       (default 3: the JIT settles; 1 is plenty for a 1 GB package)
 *   --jvm "OPTIONS"     more options of every child JVM, e.g. "-XX:+UseParallelGC" (as the Docker image runs)
 *   --floors-heap X     -Xmx of the floor runs (default 512m)
 *   --skip-stages, --skip-baseline, --skip-floors   leave out the CPU-stage run, the in-memory run or the floors
 *   --work DIR          where the package and data go (default ./data/bench)
 *   --external          also the external-broker runs: a standalone Artemis in a JVM of its own (TCP, persistent journal),
 *                       the plainest JMS producer into it (the floor), the bundle's publisher into it, and the whole cold
 *                       application process ({@code --once}, exec to exit) syncing one package into it
 *   --external-only     only the external-broker runs
 *   --skip-publish      leave out the publishing runs into the standalone broker (the cold processes only)
 *   --once-heaps LIST   -Xmx of the cold processes, comma separated, {@code default} for none (default "default,256m")
 *   --once-runs N       cold processes per heap (default 2), after one unmeasured run that warms the simulator and broker
 *   --launcher PATH     start the cold process with this script (JAVA_OPTS carries -Xmx) instead of java -jar
 *   --once-jvm "OPTIONS"  JVM options of the cold processes only (default: those of --jvm)
 *   --once-logs DIR     keep each cold process' output in DIR/once-N.log, each line after the ms since exec it came at
 *   --broker-heap X     -Xmx of the standalone broker (default 2g, as the Artemis distribution's profile)
 * </pre>
 */
public final class Bench {

    private Bench() {
    }

    public static void main(List<String> args) throws Exception {
        if (!args.isEmpty() && args.get(0).equals("tenants")) {
            TenantsRun.main(options(args.subList(1, args.size()))); // many tenants on one scheduled node (TenantsRun)
            return;
        }
        Map<String, String> o = options(args);
        List<String> jvm = o.containsKey("--jvm") ? List.of(o.get("--jvm").trim().split("\\s+")) : List.of();
        int invoices = Integer.parseInt(o.getOrDefault("--invoices", "10000"));
        int padding = Integer.parseInt(o.getOrDefault("--padding", "0"));
        long partSize = Long.parseLong(o.getOrDefault("--part-size", Long.toString(5L << 20)));
        Path work = Path.of(o.getOrDefault("--work", "data/bench")).toAbsolutePath();
        Path packageDir = work.resolve("package");
        delete(work);
        Files.createDirectories(packageDir);

        long started = System.nanoTime();
        BenchPackage pkg = BenchPackage.build(packageDir, invoices, padding, partSize);
        System.out.printf("package: %d invoices, %d parts, %.1f MB encrypted (built in %d ms)%n", pkg.invoiceCount, pkg.parts.size(),
                pkg.encryptedBytes() / 1e6, (System.nanoTime() - started) / 1_000_000);

        List<Map<String, String>> results = new ArrayList<>();
        if (o.containsKey("--external-only")) {
            for (String skip : List.of("--skip-stages", "--skip-baseline", "--skip-floors", "--skip-e2e")) {
                o.put(skip, "true");
            }
            o.put("--external", "true");
        }
        String pipelineHeap = o.getOrDefault("--pipeline-heap", "48m");
        String warmups = o.getOrDefault("--warmups", "3");
        String baselineHeap = o.getOrDefault("--baseline-heap", "2g");
        if (!o.containsKey("--skip-stages")) {
            results.addAll(child(pipelineHeap, jvm, Map.of(), "stages-pipeline", warmups, packageDir.toString(), work.resolve("pipeline").toString()));
        }
        if (!o.containsKey("--skip-baseline")) {
            results.addAll(child(baselineHeap, jvm, Map.of(), "stages-baseline", warmups, packageDir.toString()));
        }
        if (!o.containsKey("--skip-floors")) {
            String floorsHeap = o.getOrDefault("--floors-heap", "512m");
            results.addAll(child(floorsHeap, jvm, Map.of(), "floor-cpu", warmups, packageDir.toString(), work.resolve("floor-cpu").toString()));
            results.addAll(child(floorsHeap, jvm, Map.of(), "floor-jms", warmups, packageDir.toString(), work.resolve("floor-jms").toString()));
        }
        if (!o.containsKey("--skip-e2e")) {
            int packages = Integer.parseInt(o.getOrDefault("--packages", "2"));
            try (var simulator = E2eRun.simulator(invoices, packages, padding, partSize)) {
                Map<String, String> env = Map.of("KSEF_TOKEN", simulator.ksefToken());
                results.addAll(E2eRun.measured(simulator, child(o.getOrDefault("--e2e-heap", "128m"), jvm, env,
                        E2eRun.childArgs(simulator, work.resolve("e2e")).toArray(String[]::new)).get(0)));
            }
        }
        List<Map<String, String>> external = o.containsKey("--external") ? external(o, jvm, packageDir, work, invoices, padding, partSize) : List.of();
        print(results);
        ExternalRuns.print(external);
        delete(work);
    }

    /** The standalone broker, the publishing runs into it (each in a JVM of its own) and the cold application processes. */
    private static List<Map<String, String>> external(Map<String, String> o, List<String> jvm, Path packageDir, Path work, int invoices,
                                                      int padding, long partSize) throws Exception {
        List<Map<String, String>> results = new ArrayList<>();
        String floorsHeap = o.getOrDefault("--floors-heap", "512m");
        String warmups = o.getOrDefault("--warmups", "3");
        try (StandaloneBroker broker = StandaloneBroker.start(o.getOrDefault("--broker-heap", "2g"), jvm, work.resolve("standalone-broker"))) {
            System.out.println("standalone broker at " + broker.url() + " (journal under " + work.resolve("standalone-broker") + ")");
            Map<String, String> env = Map.of("BENCH_BROKER_PASSWORD", broker.password, "BENCH_BROKER_PID", Long.toString(broker.pid()));
            if (!o.containsKey("--skip-publish")) {
                // not counted: the broker's own JIT warms up, as a broker that has been running for a while has
                child(floorsHeap, jvm, env, "publish-tcp", "plain", "1", packageDir.toString(), work.resolve("publish-warm-up").toString(), broker.url());
            }
            for (String producer : o.containsKey("--skip-publish") ? List.<String>of() : List.of("plain", "bundle")) {
                results.addAll(child(floorsHeap, jvm, env, "publish-tcp", producer, warmups, packageDir.toString(),
                        work.resolve("publish-" + producer).toString(), broker.url()));
            }
            results.addAll(ExternalRuns.coldProcesses(o, jvm, broker, work, invoices, padding, partSize));
        }
        return results;
    }

    /** Entry of a child JVM: {@code bench-child <mode> args...}. */
    public static void child(List<String> args) throws Exception {
        switch (args.get(0)) {
            case "stages-pipeline" -> StageRun.pipeline(Integer.parseInt(args.get(1)), Path.of(args.get(2)), Path.of(args.get(3)));
            case "stages-baseline" -> StageRun.baseline(Integer.parseInt(args.get(1)), Path.of(args.get(2)));
            case "floor-cpu" -> CpuFloor.run(Integer.parseInt(args.get(1)), Path.of(args.get(2)), Path.of(args.get(3)));
            case "floor-jms" -> JmsFloor.run(Integer.parseInt(args.get(1)), Path.of(args.get(2)), Path.of(args.get(3)));
            case "e2e" -> E2eRun.child(args.get(1), args.get(2), args.get(3), Path.of(args.get(4)));
            case "package" -> BenchPackage.build(Path.of(args.get(1)), Integer.parseInt(args.get(2)), Integer.parseInt(args.get(3)), Long.parseLong(args.get(4)));
            case "publish-tcp" -> TcpPublish.run(args.get(1), Integer.parseInt(args.get(2)), Path.of(args.get(3)), Path.of(args.get(4)), args.get(5));
            default -> throw new IllegalArgumentException("unknown benchmark mode " + args.get(0));
        }
    }

    /**
     * Runs a child JVM; returns one result per {@code BENCH mode=...} line it printed (a later {@code BENCH} line
     * without a mode adds to the result before it), or a failure row. {@code FLOOR} lines are passed on as they come.
     */
    private static List<Map<String, String>> child(String heap, List<String> jvm, Map<String, String> env, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx" + heap));
        command.addAll(jvm);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), "dev.ksef.sync.app.Application", "bench-child"));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().putAll(env);
        Process process = builder.start();
        List<Map<String, String>> results = new ArrayList<>();
        List<String> output = new ArrayList<>();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = out.readLine()) != null; ) {
                output.add(line);
                if ((line.contains(" ERROR ") || line.contains(" WARN ") || line.contains(" export - ")) && !line.contains("AMQ22216")) {
                    System.out.println("  | " + line);
                }
                if (line.startsWith("FLOOR ")) {
                    System.out.println(line.substring(6));
                }
                if (line.startsWith("BENCH ")) {
                    if (line.contains(" mode=") || results.isEmpty()) {
                        results.add(new LinkedHashMap<>(Map.of("heapLimit", heap)));
                    }
                    for (String kv : line.substring(6).split(" ")) {
                        String key = kv.substring(0, kv.indexOf('='));
                        String value = kv.substring(kv.indexOf('=') + 1);
                        // a mode's spaces travel as underscores (Measure.report)
                        results.get(results.size() - 1).put(key, key.equals("mode") ? value.replace('_', ' ') : value);
                    }
                }
            }
        }
        int exit = process.waitFor();
        if (exit != 0 || results.stream().noneMatch(r -> r.containsKey("mode"))) {
            output.stream().skip(Math.max(0, output.size() - 15)).forEach(l -> System.out.println("  | " + l));
            Map<String, String> failed = new LinkedHashMap<>(Map.of("heapLimit", heap, "mode", args[0] + " FAILED (exit " + exit + ")"));
            return results.isEmpty() ? List.of(failed) : List.of(results.get(0), failed);
        }
        return results;
    }

    private static void print(List<Map<String, String>> results) {
        if (results.isEmpty()) {
            return;
        }
        System.out.printf("%n%-36s %6s %9s %9s %9s %9s %12s %9s %12s %12s%n", "run", "-Xmx", "invoices", "MB", "wall ms", "cpu ms",
                "invoices/s", "MB/s", "peak heap MB", "peak RSS MB");
        for (Map<String, String> r : results) {
            if (!r.containsKey("wallMs")) {
                System.out.printf("%-36s %6s%n", r.get("mode"), r.get("heapLimit"));
                continue;
            }
            double seconds = Math.max(1, Long.parseLong(r.get("wallMs"))) / 1000.0;
            double mb = Long.parseLong(r.get("encryptedBytes")) / 1e6;
            System.out.printf("%-36s %6s %9s %9.1f %9s %9s %12.0f %9.1f %12.1f %12.1f%n", r.get("mode"), r.get("heapLimit"), r.get("invoices"),
                    mb, r.get("wallMs"), r.getOrDefault("cpuMs", "-"), Long.parseLong(r.get("invoices")) / seconds, mb / seconds,
                    Long.parseLong(r.get("peakHeapBytes")) / 1e6, Long.parseLong(r.get("peakRssBytes")) / 1e6);
        }
    }

    static Map<String, String> options(List<String> args) {
        Map<String, String> o = new LinkedHashMap<>();
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (a.startsWith("--skip-") || a.equals("--external") || a.equals("--external-only") || a.equals("--keep")) {
                o.put(a, "true");
            } else if (a.startsWith("--") && i + 1 < args.size()) {
                o.put(a, args.get(++i));
            } else {
                throw new IllegalArgumentException("unknown benchmark option " + a);
            }
        }
        return o;
    }

    static void delete(Path dir) throws Exception {
        if (Files.exists(dir)) {
            try (var files = Files.walk(dir)) {
                files.sorted((a, b) -> b.getNameCount() - a.getNameCount()).forEach(f -> f.toFile().delete());
            }
        }
    }
}
