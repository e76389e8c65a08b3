package dev.ksef.sync.auth;

import dev.ksef.sync.auth.xades.AuthTokenRequestDocument;
import dev.ksef.sync.auth.xades.XadesSigner;
import dev.ksef.sync.auth.xades.XadesVerificationException;
import dev.ksef.sync.auth.xades.XadesVerifier;
import java.time.Clock;

/**
 * Builds the body of {@code POST /auth/xades-signature} for a fresh challenge: the {@code AuthTokenRequest} for the
 * context, signed with the certificate, and verified again from its own bytes (what KSeF will parse) before it is sent,
 * so a signing fault is named here instead of coming back as KSeF's 9105.
 */
public final class CertificateLoginRequests {

    private final XadesSigner signer;
    private final XadesVerifier verifier = new XadesVerifier();

    public CertificateLoginRequests(Clock clock) {
        this.signer = new XadesSigner(clock);
    }

    public byte[] signedRequest(String challenge, String nip, LoginCredential.Certificate credential) {
        byte[] signed = signer.sign(AuthTokenRequestDocument.forNip(challenge, nip, credential.subjectIdentifierType()), credential.signing());
        try {
            var document = XadesVerifier.parse(signed);
            XadesVerifier.envelope(document);
            verifier.verify(document);
        } catch (XadesVerificationException e) {
            throw new KsefAuthenticationException("the signed AuthTokenRequest does not verify (" + credential.signing().keyDescription()
                    + "): " + e.getMessage());
        }
        return signed;
    }
}
