package dev.ksef.sync.download;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ksef.sync.api.KsefJson;
import dev.ksef.sync.export.ExportTracker;
import java.util.ArrayList;
import java.util.List;
import org.apache.camel.CamelExecutionException;
import org.apache.camel.RuntimeCamelException;
import org.apache.camel.http.base.HttpOperationFailedException;

/**
 * A call of KSeF's download API (invoice by KSeF number, metadata query) that failed for good, after the bundle's error
 * handling (401 renewal, 429 waits, 5xx retries) had its turn: one line naming what was asked, and KSeF's HTTP status
 * with the codes and texts of its error body (e.g. {@code 400 21164 Faktura o podanym identyfikatorze nie istnieje.}).
 * Never an invoice body or a token: the error bodies of these endpoints hold neither.
 */
public final class KsefCallException extends RuntimeException {

    private static final int MAX_LINE = 400;

    public KsefCallException(String message, Throwable cause) {
        super(message, cause);
    }

    /** {@code cause} as the failure of {@code what} ("invoice 5265877635-20250826-...", "metadata query of ..."). */
    public static KsefCallException of(String what, Throwable cause) {
        Throwable root = unwrap(cause);
        if (root instanceof KsefCallException known) {
            return known;
        }
        return new KsefCallException(oneLine(what + ": " + describe(root)), root);
    }

    /** What went wrong, in one line: KSeF's answer for an HTTP failure, the message of the bundle's own checks, else the exception. */
    public static String describe(Throwable cause) {
        Throwable root = unwrap(cause);
        if (root instanceof HttpOperationFailedException http) {
            String codes = ksefErrors(http.getResponseBody());
            return oneLine("KSeF answered HTTP " + http.getStatusCode() + (codes.isEmpty() ? "" : ": " + codes));
        }
        if (root instanceof KsefCallException || root instanceof InvoiceIntegrityException || root instanceof IllegalArgumentException) {
            return oneLine(root.getMessage());
        }
        return oneLine(ExportTracker.describe(root));
    }

    /** The codes and texts of a KSeF error body: the classic exception list, problem details, or a 429's status. */
    static String ksefErrors(String body) {
        if (body == null || body.isBlank()) {
            return "";
        }
        List<String> errors = new ArrayList<>();
        try {
            JsonNode tree = KsefJson.mapper().readTree(body);
            for (JsonNode e : tree.at("/exception/exceptionDetailList")) {
                errors.add(join(e.path("exceptionCode").asText(), e.path("exceptionDescription").asText(), e.path("details")));
            }
            for (JsonNode e : tree.path("errors")) {
                errors.add(join(e.path("code").asText(), e.path("description").asText(), e.path("details")));
            }
            if (errors.isEmpty() && tree.hasNonNull("detail")) {
                errors.add(tree.path("detail").asText());
            }
            if (errors.isEmpty() && tree.at("/status/description").isTextual()) {
                errors.add(join(tree.at("/status/code").asText(), tree.at("/status/description").asText(), tree.at("/status/details")));
            }
        } catch (java.io.IOException | RuntimeException notJson) {
            errors.add("(a body that is not KSeF's JSON)");
        }
        return String.join("; ", errors);
    }

    private static String join(String code, String description, JsonNode details) {
        StringBuilder s = new StringBuilder(code).append(' ').append(description);
        List<String> more = new ArrayList<>();
        details.forEach(d -> more.add(d.asText()));
        if (!more.isEmpty()) {
            s.append(" (").append(String.join(" ", more)).append(')');
        }
        return s.toString().strip();
    }

    private static Throwable unwrap(Throwable cause) {
        Throwable t = cause;
        while ((t instanceof CamelExecutionException || t instanceof RuntimeCamelException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    /** {@code text} on one line, cut to a readable length. */
    public static String oneLine(String text) {
        String line = String.valueOf(text).replaceAll("[\\p{Cntrl}\\s]+", " ").strip();
        return line.length() > MAX_LINE ? line.substring(0, MAX_LINE) + "…" : line;
    }
}
