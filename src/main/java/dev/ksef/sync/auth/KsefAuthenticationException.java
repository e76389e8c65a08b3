package dev.ksef.sync.auth;

/** KSeF did not let us in: the token login ended with a failure status. */
public class KsefAuthenticationException extends RuntimeException {
    public KsefAuthenticationException(String message) {
        super(message);
    }
}
