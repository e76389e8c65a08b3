package dev.ksef.sync.api;

/** 202 response of {@code POST /auth/ksef-token}. */
public record AuthenticationInitResponse(String referenceNumber, TokenInfo authenticationToken) {
}
