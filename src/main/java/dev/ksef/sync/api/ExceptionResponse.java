package dev.ksef.sync.api;

import java.util.List;

/** The classic KSeF error body: {@code {"exception":{"exceptionDetailList":[...], ...}}}. */
public record ExceptionResponse(ExceptionInfo exception) {

    public record ExceptionInfo(List<ExceptionDetails> exceptionDetailList, String referenceNumber, String serviceCode,
                                String serviceCtx, String serviceName, String timestamp) {
    }

    public record ExceptionDetails(int exceptionCode, String exceptionDescription, List<String> details) {
    }

    /** The first exception code, or 0 when the body has none. */
    public int firstCode() {
        return exception == null || exception.exceptionDetailList() == null || exception.exceptionDetailList().isEmpty()
                ? 0 : exception.exceptionDetailList().get(0).exceptionCode();
    }
}
