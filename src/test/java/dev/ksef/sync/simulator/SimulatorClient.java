package dev.ksef.sync.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ksef.sync.api.AuthenticationChallengeResponse;
import dev.ksef.sync.api.AuthenticationInitResponse;
import dev.ksef.sync.api.AuthenticationTokensResponse;
import dev.ksef.sync.api.ExportInvoicesResponse;
import dev.ksef.sync.api.InvoiceExportRequest;
import dev.ksef.sync.api.InvoiceExportStatusResponse;
import dev.ksef.sync.api.KsefJson;
import dev.ksef.sync.api.PublicKeyCertificate;
import dev.ksef.sync.auth.TokenAuthRequests;
import dev.ksef.sync.crypto.EncryptionData;
import dev.ksef.sync.crypto.ExportEncryption;
import dev.ksef.sync.crypto.PublicKeyCertificates;
import dev.ksef.sync.export.ExportRequests;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A plain HTTP driver for the simulator in tests: it builds its request bodies with the product's request builders
 * and keeps every exchange, so contract tests can validate both sides against openapi.json.
 */
final class SimulatorClient {

    /** One request and its response, as sent and received. */
    record Exchange(String method, String path, Map<String, String> requestHeaders, String requestBody, int status,
                    String contentType, String responseBody, Map<String, List<String>> responseHeaders) {
        <T> T as(Class<T> type) throws IOException {
            return KsefJson.mapper().readValue(responseBody, type);
        }

        JsonNode json() throws IOException {
            return KsefJson.mapper().readTree(responseBody);
        }
    }

    private final HttpClient http = HttpClient.newHttpClient();
    private final KsefSimulator simulator;
    final List<Exchange> exchanges = new ArrayList<>();
    String accessToken;
    String refreshToken;
    boolean problemDetails;

    SimulatorClient(KsefSimulator simulator) {
        this.simulator = simulator;
    }

    Exchange call(String method, String path, Object body, String bearer) throws IOException, InterruptedException {
        String json = body == null ? null : KsefJson.mapper().writeValueAsString(body);
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Accept", problemDetails ? "application/problem+json" : "application/json");
        if (json != null) {
            headers.put("Content-Type", "application/json");
        }
        if (bearer != null) {
            headers.put("Authorization", "Bearer " + bearer);
        }
        if (problemDetails) {
            headers.put("X-Error-Format", "problem-details");
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(simulator.baseUrl() + path))
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        headers.forEach(request::header);
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        Exchange exchange = new Exchange(method, "/v2" + path, headers, json, response.statusCode(),
                response.headers().firstValue("Content-Type").orElse(null), response.body(), response.headers().map());
        exchanges.add(exchange);
        return exchange;
    }

    /** Posts raw bytes (a signed login document) exactly as given, with the content type given ({@code null}: none). */
    Exchange postBytes(String path, byte[] body, String contentType) throws IOException, InterruptedException {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Accept", problemDetails ? "application/problem+json" : "application/json");
        if (contentType != null) {
            headers.put("Content-Type", contentType);
        }
        if (problemDetails) {
            headers.put("X-Error-Format", "problem-details");
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(simulator.baseUrl() + path))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        headers.forEach(request::header);
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        Exchange exchange = new Exchange("POST", "/v2" + path.replaceAll("\\?.*", ""), headers, new String(body, StandardCharsets.UTF_8),
                response.statusCode(), response.headers().firstValue("Content-Type").orElse(null), response.body(), response.headers().map());
        exchanges.add(exchange);
        return exchange;
    }

    List<PublicKeyCertificate> certificates() throws IOException, InterruptedException {
        return List.of(call("GET", "/security/public-key-certificates", null, null).as(PublicKeyCertificate[].class));
    }

    /** The whole KSeF-token login into the first context: challenge, ksef-token, status until 200, redeem. */
    void login() throws IOException, InterruptedException {
        int status = login(simulator.nip(), simulator.ksefToken());
        if (status != 200) {
            throw new IllegalStateException("login ended with status " + status);
        }
    }

    /**
     * A KSeF-token login into the context {@code nip} with {@code ksefToken}: its final status code; on 200 the tokens
     * are redeemed and kept for the calls that follow.
     */
    int login(String nip, String ksefToken) throws IOException, InterruptedException {
        var certificate = PublicKeyCertificates.select(certificates(), PublicKeyCertificates.KSEF_TOKEN_ENCRYPTION, OffsetDateTime.now());
        var challenge = call("POST", "/auth/challenge", null, null).as(AuthenticationChallengeResponse.class);
        var init = call("POST", "/auth/ksef-token", TokenAuthRequests.ksefToken(challenge, nip, ksefToken, certificate), null)
                .as(AuthenticationInitResponse.class);
        String authToken = init.authenticationToken().token();
        int status;
        while ((status = call("GET", "/auth/" + init.referenceNumber(), null, authToken).json().at("/status/code").asInt()) == 100) {
            Thread.onSpinWait();
        }
        if (status == 200) {
            var tokens = call("POST", "/auth/token/redeem", null, authToken).as(AuthenticationTokensResponse.class);
            accessToken = tokens.accessToken().token();
            refreshToken = tokens.refreshToken().token();
        }
        return status;
    }

    EncryptionData encryption() throws IOException, InterruptedException {
        var certificate = PublicKeyCertificates.select(certificates(), PublicKeyCertificates.SYMMETRIC_KEY_ENCRYPTION, OffsetDateTime.now());
        return new ExportEncryption().create(certificate.certificate(), certificate.publicKeyId());
    }

    Exchange startExport(InvoiceExportRequest request) throws IOException, InterruptedException {
        return call("POST", "/invoices/exports", request, accessToken);
    }

    String startIncremental(String subjectType, OffsetDateTime from, EncryptionData encryption) throws IOException, InterruptedException {
        Exchange started = startExport(ExportRequests.incremental(subjectType, from, OffsetDateTime.now(), encryption.encryptionInfo()));
        if (started.status() != 201) {
            throw new IllegalStateException("export not started: " + started.status() + " " + started.responseBody());
        }
        return started.as(ExportInvoicesResponse.class).referenceNumber();
    }

    /** Polls the export until its status is terminal. */
    InvoiceExportStatusResponse awaitExport(String reference) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (System.nanoTime() < deadline) {
            Exchange status = call("GET", "/invoices/exports/" + reference, null, accessToken);
            if (status.status() == 429) { // polled faster than the status budget while the package is built: wait as told
                Thread.sleep(1000L * Long.parseLong(status.responseHeaders().getOrDefault("Retry-After", List.of("1")).get(0)));
                continue;
            }
            if (status.status() != 200) {
                throw new IllegalStateException("export " + reference + ": status call answered " + status.status() + " " + status.responseBody());
            }
            var response = status.as(InvoiceExportStatusResponse.class);
            if (response.status().code() != 100) {
                return response;
            }
            Thread.sleep(20); // the simulator builds the package on its own thread
        }
        throw new IllegalStateException("export " + reference + " did not finish");
    }

    byte[] download(String url) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(url)).GET().build(), HttpResponse.BodyHandlers.ofByteArray()).body();
    }

    HttpResponse<byte[]> downloadResponse(String url) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(url)).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
    }
}
