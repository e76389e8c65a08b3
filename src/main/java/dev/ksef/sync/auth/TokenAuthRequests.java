package dev.ksef.sync.auth;

import dev.ksef.sync.api.AuthenticationChallengeResponse;
import dev.ksef.sync.api.ContextIdentifier;
import dev.ksef.sync.api.InitTokenAuthenticationRequest;
import dev.ksef.sync.crypto.PublicKeyCertificates;
import dev.ksef.sync.crypto.TokenEncryption;

/** Builds the body of {@code POST /auth/ksef-token} from a fresh challenge: the token encrypted with the challenge's time. */
public final class TokenAuthRequests {

    private TokenAuthRequests() {
    }

    public static InitTokenAuthenticationRequest ksefToken(AuthenticationChallengeResponse challenge, String nip, String ksefToken,
                                                           PublicKeyCertificates.Selected tokenCertificate) {
        return new InitTokenAuthenticationRequest(challenge.challenge(), ContextIdentifier.nip(nip),
                TokenEncryption.encrypt(ksefToken, challenge.timestampMs(), tokenCertificate.certificate()),
                tokenCertificate.publicKeyId());
    }
}
