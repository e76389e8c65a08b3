package dev.ksef.sync.bench;

import dev.ksef.sync.simulator.Call;
import dev.ksef.sync.simulator.Endpoint;
import dev.ksef.sync.simulator.KsefSimulator;
import dev.ksef.sync.simulator.SimInvoice;
import dev.ksef.sync.simulator.SimulatorConfig;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The whole application as a user runs it: {@code java -jar ksef-camel-sync.jar --once} (or a launcher script), a
 * fresh process on a fresh data directory, timed from exec to exit, syncing one package from the simulator (in the
 * orchestrating JVM, standing in for KSeF) into the standalone broker. Read from the simulator's call record: when the
 * first KSeF call came, when KSeF accepted the export, when the first status poll and the one that found the package
 * came, and the part downloads; from {@code /proc/<pid>/status}: the process' peak RSS ({@code VmHWM}, polled while it
 * runs).
 */
final class ColdRun {

    /** The result's entry holding the process' output, each line after the milliseconds since exec it was read at. */
    private static final String LOG = "log";
    private static final Pattern EXPORT_LINE = Pattern.compile("invoices (\\d+) .* published (\\d+) .*\\(download (\\d+) ms, publish (\\d+) ms\\)");

    private ColdRun() {
    }

    /** A simulator whose Subject1 holds exactly {@code invoices} invoices from {@link #initialFrom} on: one package, not truncated. */
    static KsefSimulator simulator(int invoices, int padding, long partSize) {
        SimulatorConfig config = new SimulatorConfig().unlimited().partSize(partSize).maxInvoicesPerPackage(invoices)
                .maxPackageBytes(Long.MAX_VALUE / 4).pollsBeforeReady(1).hwmLag(Duration.ofSeconds(1));
        KsefSimulator simulator = new KsefSimulator(config).start();
        OffsetDateTime now = simulator.clock().now();
        simulator.corpus().padding(padding);
        while (simulator.corpus().select("Subject1", now.minusDays(11), now).size() < invoices) {
            simulator.corpus().generate(Math.max(100, invoices / 4), now.minusDays(10), now.minusMinutes(1));
        }
        return simulator;
    }

    /** The storage date of the {@code invoices}-th newest Subject1 invoice: a window from it holds exactly that many. */
    static OffsetDateTime initialFrom(KsefSimulator simulator, int invoices) {
        OffsetDateTime now = simulator.clock().now();
        List<SimInvoice> all = simulator.corpus().select("Subject1", now.minusDays(11), now);
        return all.get(all.size() - invoices).permanentStorageDate();
    }

    /**
     * One cold process. {@code launch} is the command before its arguments ({@code java [options] -jar <jar>}, or a
     * launcher script); the invoices go to {@code queue} of {@code broker}. Returns a result row.
     */
    static Map<String, String> run(String mode, List<String> launch, Map<String, String> jvmEnv, KsefSimulator simulator,
                                   OffsetDateTime from, StandaloneBroker broker, Path dir, String queue) throws Exception {
        Files.createDirectories(dir);
        List<String> command = new ArrayList<>(launch);
        command.add("--once");
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
        Map<String, String> env = builder.environment();
        env.putAll(jvmEnv);
        env.put("KSEF_BASE_URL", simulator.baseUrl());
        env.put("KSEF_NIP", simulator.nip());
        env.put("KSEF_TOKEN", simulator.ksefToken());
        env.put("KSEF_DATA_DIR", dir.resolve("data").toString());
        env.put("KSEF_SUBJECT_TYPES", "Subject1");
        env.put("KSEF_SYNC_INITIAL_FROM", from.toString());
        env.put("KSEF_JMS_BROKER_URL", broker.url());
        env.put("KSEF_JMS_USER", StandaloneBroker.USER);
        env.put("KSEF_JMS_PASSWORD", broker.password);
        env.put("KSEF_PUBLISH_SUBJECT1", "jms:queue:" + queue);
        int callsBefore = simulator.calls().size();
        Instant exec = Instant.now();
        long started = System.nanoTime();
        Process process = builder.start();
        long[] peakRss = {-1};
        Thread rss = new Thread(() -> {
            Path status = Path.of("/proc", Long.toString(process.pid()), "status");
            while (process.isAlive()) {
                peakRss[0] = Math.max(peakRss[0], vmHwm(status));
                try {
                    Thread.sleep(5);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        rss.setDaemon(true);
        rss.start();
        List<String> output = new ArrayList<>();
        Map<String, String> r = new LinkedHashMap<>();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = out.readLine()) != null; ) {
                output.add((System.nanoTime() - started) / 1_000_000 + " " + line);
                Matcher m = EXPORT_LINE.matcher(line);
                if (m.find()) {
                    r.put("downloadMs", m.group(3));
                    r.put("publishMs", m.group(4));
                }
            }
        }
        int exit = process.waitFor();
        long wall = (System.nanoTime() - started) / 1_000_000;
        rss.join();
        r.put(LOG, String.join("\n", output));
        if (exit != 0) {
            output.stream().skip(Math.max(0, output.size() - 15)).forEach(l -> System.out.println("  | " + l));
            r.put("mode", mode + " FAILED (exit " + exit + ")");
            return r;
        }
        List<Call> calls = simulator.calls().subList(callsBefore, simulator.calls().size());
        r.put("mode", mode);
        r.put("invoices", Long.toString(broker.messageCount(queue)));
        r.put("wallMs", Long.toString(wall));
        r.put("peakRssBytes", Long.toString(peakRss[0]));
        r.put("firstCallMs", Long.toString(since(exec, calls.get(0))));
        Call accepted = first(calls, Endpoint.EXPORT_START, null);
        Call firstPoll = first(calls, Endpoint.EXPORT_STATUS, accepted);
        Call firstPart = first(calls, Endpoint.PART_DOWNLOAD, accepted);
        Call ready = calls.stream().filter(c -> c.endpoint() == Endpoint.EXPORT_STATUS && !c.at().isAfter(firstPart.at())).reduce((a, b) -> b).orElseThrow();
        r.put("loginMs", Long.toString(since(calls.get(0).at(), accepted)));
        r.put("acceptedMs", Long.toString(since(exec, accepted)));
        r.put("firstPollAfterAcceptMs", Long.toString(since(accepted.at(), firstPoll)));
        r.put("readySeenMs", Long.toString(since(exec, ready)));
        r.put("statusPolls", Long.toString(calls.stream().filter(c -> c.endpoint() == Endpoint.EXPORT_STATUS).count()));
        r.put("authPolls", Long.toString(calls.stream().filter(c -> c.endpoint() == Endpoint.AUTH_STATUS).count()));
        r.put("firstPartMs", Long.toString(since(exec, firstPart)));
        r.put("encryptedBytes", Long.toString(calls.stream().filter(c -> c.endpoint() == Endpoint.PART_DOWNLOAD).mapToLong(Call::responseBytes).sum()));
        return r;
    }

    /** The process' output of a result of {@link #run}, each line after the milliseconds since exec; taken out of the result. */
    static List<String> log(Map<String, String> result) {
        String log = result.remove(LOG);
        return log == null ? List.of() : List.of(log.split("\n"));
    }

    private static Call first(List<Call> calls, Endpoint endpoint, Call after) {
        return calls.stream().filter(c -> c.endpoint() == endpoint && (after == null || !c.at().isBefore(after.at()))).findFirst()
                .orElseThrow(() -> new IllegalStateException("the run made no " + endpoint + " call"));
    }

    private static long since(Instant from, Call call) {
        return Duration.between(from, call.at()).toMillis();
    }

    private static long vmHwm(Path status) {
        try {
            for (String line : Files.readAllLines(status)) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (Exception e) {
            // the process has just exited
        }
        return -1;
    }
}
