package dev.ksef.sync.api;

/** The classic 429 body: {@code {"status":{"code":429,"description":...,"details":[...]}}}. */
public record TooManyRequestsResponse(StatusInfo status) {
}
