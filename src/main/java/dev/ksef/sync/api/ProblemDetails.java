package dev.ksef.sync.api;

import java.time.OffsetDateTime;
import java.util.List;

/**
 * The problem+json error body (sent when {@code X-Error-Format: problem-details} is requested, and always for 401,
 * 403 and 410). {@code errors} carries KSeF exception codes for 400; {@code reasonCode} explains 403.
 */
public record ProblemDetails(String title, int status, String instance, String detail, List<ApiError> errors,
                             String reasonCode, OffsetDateTime timestamp, String traceId) {

    public record ApiError(int code, String description, List<String> details) {
    }
}
