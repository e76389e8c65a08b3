package dev.ksef.sync.api;

import java.time.OffsetDateTime;

/** Response of {@code GET /auth/{referenceNumber}}: status 100 in progress, 200 done, 400 and above failed. */
public record AuthenticationOperationStatusResponse(OffsetDateTime startDate, String authenticationMethod,
                                                    AuthenticationMethodInfo authenticationMethodInfo, StatusInfo status,
                                                    Boolean isTokenRedeemed, OffsetDateTime lastTokenRefreshDate,
                                                    OffsetDateTime refreshTokenValidUntil) {
}
