package dev.ksef.sync.limits;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Map;

/**
 * The wait a 429 asks for: {@code Retry-After} as delay-seconds (what KSeF sends) or as an HTTP-date, found under any
 * spelling of the header name. Missing or unreadable values give the fallback, never zero.
 */
public final class RetryAfter {

    private RetryAfter() {
    }

    public static Duration from(Map<String, ?> headers, Instant now, Duration fallback) {
        if (headers != null) {
            for (Map.Entry<String, ?> header : headers.entrySet()) {
                if ("retry-after".equalsIgnoreCase(header.getKey()) && header.getValue() != null) {
                    return parse(String.valueOf(header.getValue()), now, fallback);
                }
            }
        }
        return fallback;
    }

    public static Duration parse(String value, Instant now, Duration fallback) {
        String v = value == null ? "" : value.trim();
        if (v.isEmpty()) {
            return fallback;
        }
        if (v.chars().allMatch(Character::isDigit)) {
            return Duration.ofSeconds(Long.parseLong(v));
        }
        try {
            Instant at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
            Duration wait = Duration.between(now, at);
            return wait.isNegative() ? Duration.ZERO : wait;
        } catch (DateTimeParseException e) {
            return fallback;
        }
    }
}
