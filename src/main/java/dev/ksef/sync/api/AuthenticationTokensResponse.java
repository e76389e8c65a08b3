package dev.ksef.sync.api;

/** Response of {@code POST /auth/token/redeem}: the access token and the (not rotated) refresh token. */
public record AuthenticationTokensResponse(TokenInfo accessToken, TokenInfo refreshToken) {
}
