package dev.ksef.sync.simulator;

/**
 * A fault the simulator plays instead of (or before) the normal answer of an endpoint, for tests.
 * Create with the factory methods and queue with {@link KsefSimulator#inject(Endpoint, Fault, int)}.
 */
public record Fault(Kind kind, int code, long value) {

    public enum Kind {
        /** answer with this HTTP status and KSeF's documented body for it (401, 403 missing-permissions, 410, 5xx) */
        HTTP_STATUS,
        /** close the connection without an answer */
        CONNECTION_RESET,
        /** wait {@code value} ms, then answer normally */
        SLOW,
        /** part download: the right length, one byte flipped */
        WRONG_BYTES,
        /** part download: 200 with an HTML page, as a WAF in front of the storage does */
        HTML_PAGE,
        /** 429 with {@code Retry-After: value} seconds */
        TOO_MANY_REQUESTS,
        /** export start: the export never leaves status 100 */
        STUCK_EXPORT,
        /** export start: the export ends with this status code (210, 415, 420, 500, 550) */
        EXPORT_RESULT,
        /** export start: the package is built with this defect ({@link Tamper} ordinal in {@code code}) */
        TAMPERED_PACKAGE,
        /**
         * export start: the export leaves out its {@code code}-th invoice (0 = the first of its window), which the metadata
         * query and {@code GET /invoices/ksef/{n}} still list and serve, as KSeF's export has lost invoices before
         */
        OMIT_INVOICE
    }

    /** Defects of a package archive, each a way a real archive can disagree with itself. */
    public enum Tamper {
        /** the first invoice's {@code invoiceHash} in {@code _metadata.json} does not match its bytes */
        WRONG_INVOICE_HASH,
        /** the first invoice is cut in half (its listed hash matches the cut bytes): not well-formed XML */
        MALFORMED_XML,
        /** the first invoice is listed in {@code _metadata.json} but missing from the archive */
        MISSING_INVOICE,
        /** an extra invoice file the metadata does not list */
        UNLISTED_ENTRY,
        /** an entry named with a path out of the extraction directory ({@code ../../evil.xml}) */
        PATH_ENTRY,
        /** an unlisted 8 MiB entry of zeros that compresses to a few KiB */
        OVERSIZED_ENTRY
    }

    public static Fault httpStatus(int httpStatus) {
        return new Fault(Kind.HTTP_STATUS, httpStatus, 0);
    }

    public static Fault connectionReset() {
        return new Fault(Kind.CONNECTION_RESET, 0, 0);
    }

    public static Fault slow(long millis) {
        return new Fault(Kind.SLOW, 0, millis);
    }

    public static Fault wrongBytes() {
        return new Fault(Kind.WRONG_BYTES, 0, 0);
    }

    public static Fault htmlPage() {
        return new Fault(Kind.HTML_PAGE, 0, 0);
    }

    public static Fault tooManyRequests(long retryAfterSeconds) {
        return new Fault(Kind.TOO_MANY_REQUESTS, 429, retryAfterSeconds);
    }

    public static Fault stuckExport() {
        return new Fault(Kind.STUCK_EXPORT, 0, 0);
    }

    public static Fault tamperedPackage(Tamper tamper) {
        return new Fault(Kind.TAMPERED_PACKAGE, tamper.ordinal(), 0);
    }

    /** The export started leaves out the {@code index}-th invoice of its window (0 = the first); see {@link Kind#OMIT_INVOICE}. */
    public static Fault omitInvoice(int index) {
        return new Fault(Kind.OMIT_INVOICE, index, 0);
    }

    public static Fault exportResult(int statusCode) {
        return new Fault(Kind.EXPORT_RESULT, statusCode, 0);
    }
}
