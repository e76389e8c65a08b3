package dev.ksef.sync.simulator;

import dev.ksef.sync.api.ExceptionResponse;
import dev.ksef.sync.api.ProblemDetails;
import dev.ksef.sync.api.StatusInfo;
import dev.ksef.sync.api.TooManyRequestsResponse;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;

/** KSeF's documented error bodies, in the classic format or as problem+json when the client asks for it. */
final class ErrorBodies {

    private ErrorBodies() {
    }

    static Object badRequest(boolean problem, String instance, int code, String description, String detail) {
        if (problem) {
            return new ProblemDetails("Bad Request", 400, instance, description,
                    List.of(new ProblemDetails.ApiError(code, description, details(detail))), null, now(), traceId());
        }
        return classic(code, description, detail);
    }

    static Object serverError(boolean problem, String instance, int httpStatus) {
        if (problem) {
            return new ProblemDetails("Internal Server Error", httpStatus, instance, "Nieznany błąd.", null, null, now(), traceId());
        }
        return classic(500, "Nieznany błąd.", "HTTP " + httpStatus);
    }

    static Object tooManyRequests(boolean problem, String instance, long retryAfter) {
        String detail = "Przekroczono limit żądań. Spróbuj ponownie po " + retryAfter + " sekundach.";
        if (problem) {
            return new ProblemDetails("Too Many Requests", 429, instance, detail, null, null, now(), traceId());
        }
        return new TooManyRequestsResponse(new StatusInfo(429, "Too Many Requests", List.of(detail)));
    }

    static ProblemDetails unauthorized(String instance, String detail) {
        return new ProblemDetails("Unauthorized", 401, instance, detail, null, null, now(), traceId());
    }

    /** 403 {@code missing-permissions}: the context's permissions no longer include what the endpoint requires. */
    static ProblemDetails forbidden(String instance) {
        return new ProblemDetails("Forbidden", 403, instance, "Brak wymaganych uprawnień do wykonania operacji w bieżącym kontekście.", null,
                "missing-permissions", now(), traceId());
    }

    static ProblemDetails gone(String instance, String detail) {
        return new ProblemDetails("Gone", 410, instance, detail, null, null, now(), traceId());
    }

    private static ExceptionResponse classic(int code, String description, String detail) {
        return new ExceptionResponse(new ExceptionResponse.ExceptionInfo(
                List.of(new ExceptionResponse.ExceptionDetails(code, description, details(detail))),
                null, "00-" + UUID.randomUUID().toString().replace("-", "") + "-00", "srvSIMUL", "ksef-simulator",
                now().toString()));
    }

    /** KSeF leaves {@code details} out when a code needs none (e.g. 9102). */
    private static List<String> details(String detail) {
        return detail == null || detail.isEmpty() ? null : List.of(detail);
    }

    private static OffsetDateTime now() {
        return OffsetDateTime.now(ZoneOffset.UTC);
    }

    private static String traceId() {
        return "00-" + UUID.randomUUID().toString().replace("-", "") + "-01";
    }
}
