package dev.ksef.sync.simulator;

import static dev.ksef.sync.auth.xades.XadesSamples.NIP;
import static dev.ksef.sync.auth.xades.XadesSamples.SIGNED_AROUND;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ksef.sync.api.ContextIdentifier;
import dev.ksef.sync.api.StatusInfo;
import dev.ksef.sync.auth.xades.SigningCredential;
import dev.ksef.sync.auth.xades.XadesSamples;
import java.io.ByteArrayInputStream;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.OffsetDateTime;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@link CertificateLoginStatus}, the asynchronous end of a certificate login, for logins the samples cannot sign
 * (another context, a fingerprint subject): the sample seal's certificate with the subject and context set directly.
 */
class CertificateLoginStatusTest {

    private static final String OTHER_NIP = "7762811692";

    private final Permissions permissions = new Permissions();
    private final X509Certificate seal = certificate(XadesSamples.JDK_ECDSA);

    private static X509Certificate certificate(String sample) {
        String text = XadesSamples.text(sample);
        String base64 = text.substring(text.indexOf("<ds:X509Certificate>") + 20, text.indexOf("</ds:X509Certificate>"));
        try {
            return (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(Base64.getDecoder().decode(base64)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private XadesLogin.Accepted login(String context, CertificateSubject.Identifier subject) {
        return new XadesLogin.Accepted(XadesSamples.CHALLENGE, ContextIdentifier.nip(context), "certificateSubject", subject, true,
                seal, SIGNED_AROUND);
    }

    private StatusInfo status(XadesLogin.Accepted login, OffsetDateTime at, boolean verifyChain, X509Certificate... anchors) {
        return new CertificateLoginStatus(List.of(anchors), permissions).of(login, at, verifyChain);
    }

    @Test
    void ownerOfTheContextSucceeds() {
        assertEquals(200, status(login(NIP, new CertificateSubject.Identifier("Nip", NIP)), SIGNED_AROUND, false).code());
    }

    @Test
    void anotherContextNeedsAGrant() {
        var login = login(OTHER_NIP, new CertificateSubject.Identifier("Nip", NIP));
        StatusInfo refused = status(login, SIGNED_AROUND, false);
        assertEquals(415, refused.code());
        assertEquals(List.of("Brak przypisanych uprawnień"), refused.details());
        permissions.grantInvoiceRead(NIP, OTHER_NIP);
        assertEquals(200, status(login, SIGNED_AROUND, false).code());
    }

    @ParameterizedTest
    @CsvSource({"InternalId, 5265877635-12346", "NipVatUe, 5265877635-ATU12345678"})
    void ownerOfTheNipNeedsAGrantInItsInternalIdOrNipVatUeContext(String type, String value) {
        var login = new XadesLogin.Accepted(XadesSamples.CHALLENGE, new ContextIdentifier(type, value), "certificateSubject",
                new CertificateSubject.Identifier("Nip", NIP), true, seal, SIGNED_AROUND);
        assertEquals(415, status(login, SIGNED_AROUND, false).code());
    }

    @Test
    void fingerprintGrantMatchesInAnyLetterCase() {
        String fingerprint = SigningCredential.fingerprint(seal);
        var login = login(OTHER_NIP, new CertificateSubject.Identifier("Fingerprint", fingerprint));
        assertEquals(415, status(login, SIGNED_AROUND, false).code());
        permissions.grantInvoiceRead(fingerprint.toLowerCase(Locale.ROOT), OTHER_NIP);
        assertEquals(200, status(login, SIGNED_AROUND, false).code());
    }

    @Test
    void certificateOutsideItsValidityEndsWith460() {
        var login = login(NIP, new CertificateSubject.Identifier("Nip", NIP));
        assertEquals(List.of("Nieważny certyfikat"), status(login, OffsetDateTime.parse("2027-11-30T00:00:00Z"), false).details());
        assertEquals(460, status(login, OffsetDateTime.parse("2026-11-29T21:00:00Z"), false).code());
    }

    @Test
    void untrustedChainIsCheckedOnlyWhenAskedFor() {
        var login = login(NIP, new CertificateSubject.Identifier("Nip", NIP));
        assertEquals(List.of("Niezaufany łańcuch certyfikatów"), status(login, SIGNED_AROUND, true).details());
        assertEquals(460, status(login, SIGNED_AROUND, true, certificate(XadesSamples.DSS_RSA)).code(), "another seal is no anchor");
        assertEquals(200, status(login, SIGNED_AROUND, true, seal).code());
    }

    @Test
    void blockedContextEndsWith480BeforePermissions() {
        permissions.block(NIP);
        assertEquals(480, status(login(NIP, new CertificateSubject.Identifier("Nip", NIP)), SIGNED_AROUND, false).code());
    }
}
