package dev.ksef.sync.api;

/** {@code AuthenticationContextIdentifier}: type {@code Nip}, {@code InternalId}, {@code NipVatUe} or {@code PeppolId}, and value. */
public record ContextIdentifier(String type, String value) {
    public static ContextIdentifier nip(String nip) {
        return new ContextIdentifier("Nip", nip);
    }
}
