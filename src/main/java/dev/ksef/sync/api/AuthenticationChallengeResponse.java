package dev.ksef.sync.api;

import java.time.OffsetDateTime;

/** Response of {@code POST /auth/challenge}. */
public record AuthenticationChallengeResponse(String challenge, OffsetDateTime timestamp, long timestampMs, String clientIp) {
}
