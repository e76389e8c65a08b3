package dev.ksef.sync.simulator;

import dev.ksef.sync.api.AuthenticationMethodInfo;
import dev.ksef.sync.api.StatusInfo;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;
import java.time.OffsetDateTime;
import java.util.Date;
import java.util.List;

/**
 * How an accepted certificate login ends, as {@code GET /auth/{referenceNumber}} reports it once KSeF has checked the
 * certificate and the permissions: 460 for a certificate not valid now or (when the client asked for
 * {@code verifyCertificateChain}) not issued by a trust anchor, 480 for a blocked context, 200 for the context's owner
 * or a subject holding a grant there, 415 for anyone else. Also the method KSeF names: a qualified seal or signature.
 */
final class CertificateLoginStatus {

    private static final String CERTIFICATE_ERROR = "Uwierzytelnianie zakończone niepowodzeniem z powodu błędu certyfikatu";

    private final List<X509Certificate> trustAnchors;
    private final Permissions permissions;

    CertificateLoginStatus(List<X509Certificate> trustAnchors, Permissions permissions) {
        this.trustAnchors = List.copyOf(trustAnchors);
        this.permissions = permissions;
    }

    StatusInfo of(XadesLogin.Accepted login, OffsetDateTime now, boolean verifyCertificateChain) {
        X509Certificate certificate = login.certificate();
        try {
            certificate.checkValidity(Date.from(now.toInstant()));
        } catch (CertificateExpiredException | CertificateNotYetValidException e) {
            return new StatusInfo(460, CERTIFICATE_ERROR, List.of("Nieważny certyfikat"));
        }
        if (verifyCertificateChain && trustAnchors.stream().noneMatch(anchor -> issuedBy(certificate, anchor))) {
            return new StatusInfo(460, CERTIFICATE_ERROR, List.of("Niezaufany łańcuch certyfikatów"));
        }
        String context = login.context().value();
        if (permissions.isBlocked(context)) {
            return new StatusInfo(480, "Uwierzytelnienie zablokowane", List.of("Podejrzenie incydentu bezpieczeństwa. "
                    + "Skontaktuj się z Ministerstwem Finansów przez formularz zgłoszeniowy."));
        }
        if (!permissions.mayAct(login.subject(), login.context().type(), context)) {
            return new StatusInfo(415, "Uwierzytelnianie zakończone niepowodzeniem", List.of("Brak przypisanych uprawnień"));
        }
        return new StatusInfo(200, "Uwierzytelnianie zakończone sukcesem", null);
    }

    /** {@code authenticationMethodInfo}: a seal (the documented code) or a person's qualified signature. */
    static AuthenticationMethodInfo methodInfo(XadesLogin.Accepted login) {
        return login.seal() ? new AuthenticationMethodInfo("XadesSignature", "xades.qualified-seal", "Pieczęć kwalifikowana")
                : new AuthenticationMethodInfo("XadesSignature", "xades.qualified-signature", "Podpis kwalifikowany");
    }

    /** The deprecated {@code authenticationMethod}. */
    static String method(XadesLogin.Accepted login) {
        return login.seal() ? "QualifiedSeal" : "QualifiedSignature";
    }

    /** The anchor itself, or a certificate its key signed under its name. */
    private static boolean issuedBy(X509Certificate certificate, X509Certificate anchor) {
        if (certificate.equals(anchor)) {
            return true;
        }
        if (!certificate.getIssuerX500Principal().equals(anchor.getSubjectX500Principal())) {
            return false;
        }
        try {
            certificate.verify(anchor.getPublicKey());
            return true;
        } catch (GeneralSecurityException e) {
            return false;
        }
    }
}
