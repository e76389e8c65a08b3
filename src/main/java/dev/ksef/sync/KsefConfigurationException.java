package dev.ksef.sync;

/**
 * A setting that cannot work: a missing or invalid key, an unreadable file, a wrong password, a certificate that is
 * expired. The message is one line that names the key and says how to set it right; the command line prints just that
 * line and exits with code 2. It never carries a secret.
 */
public class KsefConfigurationException extends RuntimeException {

    public KsefConfigurationException(String message) {
        super(message);
    }

    public KsefConfigurationException(String message, Throwable cause) {
        super(message, cause);
    }

    /** The first configuration error in {@code failure}'s cause chain, or {@code null}. */
    public static KsefConfigurationException in(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof KsefConfigurationException e) {
                return e;
            }
        }
        return null;
    }
}
