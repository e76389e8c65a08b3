package dev.ksef.sync.simulator;

import java.time.Instant;

/**
 * One request the simulator received, as tests read it back: when it arrived, which endpoint, the HTTP status
 * answered, whether it carried an Authorization header, the {@code Retry-After} seconds of a 429 (else 0), the bytes
 * answered, and the context (NIP) it acted in when known: from its bearer token, the login request's context, or
 * the export a part belongs to ({@code null} otherwise, e.g. {@code /auth/challenge}).
 */
public record Call(Instant at, Endpoint endpoint, String method, String path, int status, boolean authorizationHeader, long retryAfter,
                   long responseBytes, String contextNip) {
}
