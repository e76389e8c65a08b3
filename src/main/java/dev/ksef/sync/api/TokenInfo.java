package dev.ksef.sync.api;

import java.time.OffsetDateTime;

/** {@code TokenInfo}: a bearer token and the instant it stops being valid. The token is never printed. */
public record TokenInfo(String token, OffsetDateTime validUntil) {
    @Override
    public String toString() {
        return "TokenInfo[token=***, validUntil=" + validUntil + "]";
    }
}
