package dev.ksef.sync.api;

/** {@code AuthenticationMethodInfo}: category ({@code Token}, {@code XadesSignature}, ...), code and display name. */
public record AuthenticationMethodInfo(String category, String code, String displayName) {
}
