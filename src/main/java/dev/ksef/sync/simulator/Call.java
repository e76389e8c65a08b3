package dev.ksef.sync.simulator;

import java.time.Instant;

/** One request the simulator received, as tests read it back: when, which endpoint, and the HTTP status answered. */
public record Call(Instant at, Endpoint endpoint, String method, String path, int status, boolean authorizationHeader) {
}
