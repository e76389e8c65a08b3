package dev.ksef.sync.api;

/** Response of {@code POST /auth/token/refresh}: a new access token only. */
public record AuthenticationTokenRefreshResponse(TokenInfo accessToken) {
}
