package dev.ksef.sync.auth.xades;

/**
 * A signed {@code AuthTokenRequest} that KSeF would refuse, with KSeF's error code and description (the
 * {@code /auth/xades-signature} 400 table: 9101 not a login document, 9102 no signature, 9103 more than one, 9105 the
 * signature itself) and the detail that says which check failed.
 */
public class XadesVerificationException extends RuntimeException {

    private final int code;
    private final String description;

    public XadesVerificationException(int code, String description, String details) {
        super(code + " " + description + (details == null || details.isBlank() ? "" : " " + details));
        this.code = code;
        this.description = description;
    }

    public int code() {
        return code;
    }

    public String description() {
        return description;
    }

    /** The detail line alone. */
    public String details() {
        String message = getMessage();
        String head = code + " " + description;
        return message.length() > head.length() ? message.substring(head.length() + 1) : "";
    }
}
