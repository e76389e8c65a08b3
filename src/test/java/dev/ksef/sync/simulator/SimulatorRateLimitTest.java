package dev.ksef.sync.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import org.junit.jupiter.api.Test;

/**
 * KSeF's rate-limit model as a client sees it: every endpoint with its own budget (the auth endpoints too), counted per
 * (context, client IP). Time runs 100× slower for the limiter, so a 1-second window lasts long enough to fill.
 */
class SimulatorRateLimitTest {

    /** The status of a request sent from {@code localAddress} (another loopback address is another client IP). */
    private static int statusFrom(String localAddress, KsefSimulator simulator, String method, String path, String bearer)
            throws IOException {
        URI base = URI.create(simulator.baseUrl());
        try (Socket socket = new Socket()) {
            socket.bind(new InetSocketAddress(InetAddress.getByName(localAddress), 0));
            socket.connect(new InetSocketAddress(base.getHost(), base.getPort()), 5_000);
            socket.setSoTimeout(10_000);
            String request = method + " /v2" + path + " HTTP/1.1\r\nHost: " + base.getHost() + "\r\nContent-Length: 0\r\n"
                    + (bearer != null ? "Authorization: Bearer " + bearer + "\r\n" : "") + "Connection: close\r\n\r\n";
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            String statusLine = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1).lines().findFirst().orElseThrow();
            return Integer.parseInt(statusLine.split(" ")[1]);
        }
    }

    @Test
    void everyAuthEndpointHasItsOwnBudgetPerClientIp() throws Exception {
        SimulatorConfig config = new SimulatorConfig().rateLimitTimeScale(0.01).limits("auth", 3, 0, 0);
        try (KsefSimulator simulator = new KsefSimulator(config).start()) {
            for (int i = 0; i < 3; i++) {
                assertEquals(200, statusFrom("127.0.0.1", simulator, "POST", "/auth/challenge", null), "challenge " + i);
            }
            assertEquals(429, statusFrom("127.0.0.1", simulator, "POST", "/auth/challenge", null), "4th challenge in a second");
            assertEquals(200, statusFrom("127.0.0.1", simulator, "GET", "/security/public-key-certificates", null),
                    "public keys: a budget of their own");
            assertEquals(200, statusFrom("127.0.0.2", simulator, "POST", "/auth/challenge", null), "another client IP: its own counters");
        }
    }

    @Test
    void authenticatedCallsCountPerContextAndIp() throws Exception {
        SimulatorConfig config = new SimulatorConfig().rateLimitTimeScale(0.01).limits("invoiceDownload", 2, 0, 0);
        try (KsefSimulator simulator = new KsefSimulator(config).start()) {
            OffsetDateTime now = simulator.clock().now();
            String ksefNumber = simulator.corpus().generate(1, now.minusDays(1), now.minusHours(1)).get(0).ksefNumber();
            SimulatorClient client = new SimulatorClient(simulator);
            client.login();
            String path = "/invoices/ksef/" + ksefNumber;
            assertEquals(200, statusFrom("127.0.0.1", simulator, "GET", path, client.accessToken));
            assertEquals(200, statusFrom("127.0.0.1", simulator, "GET", path, client.accessToken));
            assertEquals(429, statusFrom("127.0.0.1", simulator, "GET", path, client.accessToken), "context's budget spent from this IP");
            assertEquals(200, statusFrom("127.0.0.2", simulator, "GET", path, client.accessToken), "same context, another IP");
            assertEquals(401, statusFrom("127.0.0.1", simulator, "GET", path, null), "no context: counted for the IP alone");
        }
    }

    @Test
    void everyContextHasItsOwnExportBudget() throws Exception {
        SimulatorConfig config = new SimulatorConfig().generatedContexts(2).rateLimitTimeScale(0.01).limits("invoiceExport", 0, 2, 0);
        try (KsefSimulator simulator = new KsefSimulator(config).start()) {
            String a = simulator.nips().get(0);
            String b = simulator.nips().get(1);
            SimulatorClient inA = new SimulatorClient(simulator);
            inA.login(a, simulator.ksefToken(a));
            SimulatorClient inB = new SimulatorClient(simulator);
            inB.login(b, simulator.ksefToken(b));
            var encryption = inA.encryption();
            var request = dev.ksef.sync.export.ExportRequests.incremental("Subject1", OffsetDateTime.now().minusDays(1), OffsetDateTime.now(),
                    encryption.encryptionInfo());
            assertEquals(201, inA.startExport(request).status());
            assertEquals(201, inA.startExport(request).status());
            assertEquals(429, inA.startExport(request).status(), "A's 2 a minute spent");
            assertEquals(201, inB.startExport(request).status(), "B's budget untouched");
            var refused = simulator.calls(Endpoint.EXPORT_START).stream().filter(c -> c.status() == 429).map(Call::contextNip).toList();
            assertEquals(java.util.List.of(a), refused, "429s counted per context");
        }
    }
}
