package dev.ksef.sync.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ksef.sync.FreePort;
import dev.ksef.sync.api.KsefJson;
import dev.ksef.sync.app.SyncApp;
import dev.ksef.sync.simulator.Endpoint;
import dev.ksef.sync.simulator.Fault;
import dev.ksef.sync.simulator.KsefSimulator;
import dev.ksef.sync.simulator.SimulatorConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The application's management server read over HTTP as a scraper or a probe would: {@code /observe/health} with the
 * checks {@code ksef-sync-lag} and {@code ksef-sync-last-run} (details per subject type), {@code /observe/metrics} in
 * Prometheus text with the bundle's meters counting what reached the queue, and readiness DOWN when a sync is late or
 * its last run failed while liveness stays UP.
 */
class HealthAndMetricsTest {

    @TempDir
    Path dataDir;

    private final HttpClient http = HttpClient.newHttpClient();

    record Answer(int status, String body) {
    }

    @Test
    void theScheduledApplicationServesItsChecksAndMetersAfterASync() throws Exception {
        SimulatorConfig config = new SimulatorConfig().unlimited().partSize(8_000).hwmLag(Duration.ofSeconds(1)).pollsBeforeReady(1);
        try (KsefSimulator simulator = new KsefSimulator(config).start()) {
            OffsetDateTime now = simulator.clock().now();
            simulator.corpus().generate(80, now.minusDays(3), now.minusMinutes(5));
            simulator.inject(Endpoint.EXPORT_STATUS, Fault.tooManyRequests(3), 1);
            int port = FreePort.next();
            Map<String, String> extra = new HashMap<>();
            extra.put("camel.management.port", Integer.toString(port));
            extra.put("ksef.subject-types", "Subject1,Subject2");
            extra.put("ksef.sync.Subject1.cron", "0/2 * * * * ?");
            extra.put("ksef.sync.Subject2.cron", "0 0 0 1 1 ? 2099"); // not during the test: no sync yet
            SyncHarness harness = new SyncHarness(simulator, dataDir, extra);
            OffsetDateTime initialFrom = now.minusDays(4);
            int expected = harness.expected("Subject1", initialFrom, now).size();
            try (SyncApp ignored = SyncApp.start(harness.properties(initialFrom), true)) {
                String base = "http://127.0.0.1:" + port + "/observe";
                await().atMost(Duration.ofSeconds(60)).until(() -> metric(get(base + "/metrics").body(),
                        "ksef_invoices_published_total", "subject_type=\"Subject1\"") == expected);

                String metrics = get(base + "/metrics").body();
                assertEquals(expected, harness.drain(SyncHarness.QUEUES.get("Subject1")).size(), "published = what stands on the queue");
                assertEquals(0, metric(metrics, "ksef_invoices_duplicates_total", "subject_type=\"Subject1\""));
                assertEquals(0, metric(metrics, "ksef_invoices_quarantined_total", "subject_type=\"Subject1\""));
                assertEquals(simulator.calls(Endpoint.PART_DOWNLOAD).size(), metric(metrics, "ksef_parts_downloaded_total", "subject_type=\"Subject1\""));
                assertTrue(simulator.calls(Endpoint.PART_DOWNLOAD).size() > 1, "several parts");
                assertTrue(metric(metrics, "ksef_export_duration_seconds_count", "subject_type=\"Subject1\"") >= 1, metrics);
                assertTrue(metric(metrics, "ksef_package_duration_seconds_count", "subject_type=\"Subject1\"") >= 1, metrics);
                assertEquals(1, metric(metrics, "ksef_api_throttled_total", "limit_group=\"invoiceExportStatus\"", "subject_type=\"Subject1\""));
                assertTrue(metric(metrics, "ksef_rate_budget_wait_seconds_sum", "limit_group=\"invoiceExportStatus\"", "subject_type=\"Subject1\"") >= 1.5,
                        "the 429's Retry-After (3 s) was waited out: " + metrics);
                double lag = metric(metrics, "ksef_sync_lag_seconds", "subject_type=\"Subject1\"");
                assertTrue(lag >= 0 && lag < 60, "caught up: " + lag);
                assertTrue(metric(metrics, "ksef_sync_lag_seconds", "subject_type=\"Subject2\"") >= 0, "Subject2 has its series before any sync");
                assertTrue(metrics.contains("jvm_memory_used_bytes"), "the JVM's meters too");
                assertTrue(metrics.lines().anyMatch(l -> l.startsWith("ksef_scheduler_delay_seconds_count")
                        && Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)) >= 1), "how late the scheduled runs started: " + metrics);
                assertTrue(metrics.contains("ksef_scheduler_delay_seconds_bucket{le=\"0.1\"} "), "a histogram for its percentiles: " + metrics);

                Answer health = get(base + "/health?data=true");
                assertEquals(200, health.status(), health.body());
                JsonNode root = KsefJson.mapper().readTree(health.body());
                assertEquals("UP", root.get("status").asText());
                JsonNode lagCheck = check(root, "ksef-sync-lag");
                assertEquals("UP", lagCheck.get("status").asText());
                assertTrue(lagCheck.at("/data/" + simulator.nip() + ".Subject1.lagSeconds").asLong() < 60, lagCheck.toString());
                assertEquals("PT2H", lagCheck.at("/data/" + simulator.nip() + ".Subject1.maxLag").asText(), "the per-subject-type default");
                assertEquals("none", lagCheck.at("/data/" + simulator.nip() + ".Subject2.continuationPoint").asText());
                JsonNode lastRun = check(root, "ksef-sync-last-run");
                assertEquals("UP", lastRun.get("status").asText());
                assertEquals("DONE", lastRun.at("/data/" + simulator.nip() + ".Subject1.result").asText(), lastRun.toString());
                assertEquals("NONE", lastRun.at("/data/" + simulator.nip() + ".Subject2.result").asText(), lastRun.toString());

                JsonNode live = KsefJson.mapper().readTree(get(base + "/health/live").body());
                assertFalse(live.toString().contains("ksef-sync"), "readiness checks only: " + live);
                JsonNode ready = KsefJson.mapper().readTree(get(base + "/health/ready").body());
                assertEquals("UP", check(ready, "ksef-sync-lag").get("status").asText());
            }
        }
    }

    @Test
    void readinessIsDownWhileASyncIsLateOrItsLastRunFailedAndLivenessStaysUp() throws Exception {
        SimulatorConfig config = new SimulatorConfig().unlimited().hwmLag(Duration.ofSeconds(1)).pollsBeforeReady(1);
        try (KsefSimulator simulator = new KsefSimulator(config).start()) {
            OffsetDateTime now = simulator.clock().now();
            simulator.corpus().generate(20, now.minusDays(2), now.minusMinutes(5));
            int port = FreePort.next();
            // a run on demand serves nothing unless told to; Subject3 has no maximum lag of its own: ksef.health.max-lag
            Map<String, String> extra = Map.of("camel.management.enabled", "true", "camel.management.port", Integer.toString(port),
                    "ksef.subject-types", "Subject3", "ksef.health.max-lag", "PT1S");
            SyncHarness harness = new SyncHarness(simulator, dataDir, extra);
            try (SyncApp app = harness.start(now.minusDays(3))) {
                String base = "http://127.0.0.1:" + port + "/observe";
                await().atMost(Duration.ofSeconds(20)).until(() -> get(base + "/health/ready").status() == 503);
                JsonNode lagCheck = check(KsefJson.mapper().readTree(get(base + "/health/ready?data=true").body()), "ksef-sync-lag");
                assertEquals("DOWN", lagCheck.get("status").asText());
                assertTrue(lagCheck.get("message").asText().startsWith("behind more than the maximum lag: 1 of 1: " + simulator.nip() + " Subject3 "), lagCheck.toString());
                assertTrue(lagCheck.get("message").asText().endsWith("(no sync yet) of PT1S"), lagCheck.toString());
                assertEquals(200, get(base + "/health/live").status(), "a late sync is no reason to restart");

                simulator.inject(Endpoint.EXPORT_START, Fault.exportResult(500), 1);
                assertThrows(Exception.class, () -> app.runOnce("Subject3"));
                Answer failed = get(base + "/health?data=true");
                assertEquals(503, failed.status(), failed.body());
                JsonNode lastRun = check(KsefJson.mapper().readTree(failed.body()), "ksef-sync-last-run");
                assertEquals("DOWN", lastRun.get("status").asText());
                assertEquals("FAILED", lastRun.at("/data/" + simulator.nip() + ".Subject3.result").asText());
                assertTrue(lastRun.at("/data/" + simulator.nip() + ".Subject3.failure").asText().contains("ended with status 500"), lastRun.toString());
                assertTrue(lastRun.get("message").asText().startsWith("last run failed: 1 of 1: " + simulator.nip() + " Subject3 at "), lastRun.toString());
                assertEquals(200, get(base + "/health/live").status(), "a failed run is retried by the next trigger, not by a restart");

                app.runOnce("Subject3");
                lastRun = check(KsefJson.mapper().readTree(get(base + "/health?data=true").body()), "ksef-sync-last-run");
                assertEquals("UP", lastRun.get("status").asText(), "the next run that ends well brings it back");
                assertEquals("DONE", lastRun.at("/data/" + simulator.nip() + ".Subject3.result").asText());
            }
        }
    }

    private Answer get(String url) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        return new Answer(response.statusCode(), response.body());
    }

    private static JsonNode check(JsonNode health, String id) {
        return StreamSupport.stream(health.get("checks").spliterator(), false).filter(c -> id.equals(c.get("name").asText())).findFirst()
                .orElseThrow(() -> new AssertionError("no check " + id + " in " + health));
    }

    /** The value of the Prometheus sample {@code name} whose labels include {@code labels}; -1 when there is none. */
    static double metric(String text, String name, String... labels) {
        return text.lines().filter(l -> l.startsWith(name + "{")).filter(l -> Arrays.stream(labels).allMatch(l::contains))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).findFirst().orElse(-1);
    }
}
