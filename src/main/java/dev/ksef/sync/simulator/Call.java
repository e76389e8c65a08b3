package dev.ksef.sync.simulator;

import java.time.Instant;

/**
 * One request the simulator received, as tests read it back: when it arrived, which endpoint, the HTTP status
 * answered, whether it carried an Authorization header, and the {@code Retry-After} seconds of a 429 (else 0).
 */
public record Call(Instant at, Endpoint endpoint, String method, String path, int status, boolean authorizationHeader, long retryAfter,
                   long responseBytes) {
}
