package dev.ksef.sync.api;

/** Body of {@code POST /auth/ksef-token}; {@code encryptedToken} is RSA-OAEP of {@code token|timestampMs}. */
public record InitTokenAuthenticationRequest(String challenge, ContextIdentifier contextIdentifier, String encryptedToken,
                                             String publicKeyId) {
    @Override
    public String toString() {
        return "InitTokenAuthenticationRequest[challenge=" + challenge + ", context=" + contextIdentifier + ", encryptedToken=***]";
    }
}
