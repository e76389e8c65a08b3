package dev.ksef.sync.simulator;

import static dev.ksef.sync.auth.xades.AuthTokenRequestDocument.CERTIFICATE_FINGERPRINT;
import static dev.ksef.sync.auth.xades.AuthTokenRequestDocument.CERTIFICATE_SUBJECT;
import static dev.ksef.sync.auth.xades.FreshSignatures.request;
import static dev.ksef.sync.auth.xades.FreshSignatures.requestForNip;
import static dev.ksef.sync.auth.xades.FreshSignatures.sign;
import static dev.ksef.sync.auth.xades.XadesSamples.CHALLENGE;
import static dev.ksef.sync.auth.xades.XadesSamples.DSS_RSA;
import static dev.ksef.sync.auth.xades.XadesSamples.JDK_ECDSA;
import static dev.ksef.sync.auth.xades.XadesSamples.NIP;
import static dev.ksef.sync.auth.xades.XadesSamples.SIGNED_AROUND;
import static dev.ksef.sync.auth.xades.XadesSamples.replaceOnce;
import static dev.ksef.sync.auth.xades.XadesSamples.text;
import static dev.ksef.sync.auth.xades.XadesSamples.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ksef.sync.api.ContextIdentifier;
import dev.ksef.sync.auth.xades.FreshSignatures;
import dev.ksef.sync.auth.xades.SelfSignedCertificates;
import dev.ksef.sync.auth.xades.SigningCredential;
import dev.ksef.sync.auth.xades.XadesSamples;
import dev.ksef.sync.auth.xades.XadesVerificationException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link XadesLogin}: KSeF's checks of one {@code /auth/xades-signature} submission in KSeF's order, on the two signed
 * samples replayed at a fixed clock with their challenge issued, and on edited copies; each case asserts KSeF's code.
 */
class XadesLoginTest {

    private static final String XML = "application/xml";

    private final Challenges challenges = new Challenges();
    private final AtomicReference<OffsetDateTime> now = new AtomicReference<>(SIGNED_AROUND);
    private final XadesLogin login = new XadesLogin(challenges, now::get);

    private XadesLogin.Accepted submit(String xml) {
        return login.submit(XML, utf8(xml));
    }

    private int code(String contentType, byte[] body) {
        return assertThrows(XadesVerificationException.class, () -> login.submit(contentType, body)).code();
    }

    private int code(String xml) {
        return code(XML, utf8(xml));
    }

    @ParameterizedTest
    @ValueSource(strings = {DSS_RSA, JDK_ECDSA})
    void samplesAreAcceptedWithTheNipOfTheSeal(String sample) {
        challenges.issue(CHALLENGE, SIGNED_AROUND);
        XadesLogin.Accepted accepted = submit(text(sample));
        assertEquals(CHALLENGE, accepted.challenge());
        assertEquals(ContextIdentifier.nip(NIP), accepted.context());
        assertEquals("certificateSubject", accepted.subjectIdentifierType());
        assertEquals(new CertificateSubject.Identifier("Nip", NIP), accepted.subject());
        assertTrue(accepted.seal());
        assertNotNull(accepted.signingTime());
        assertEquals(null, challenges.issuedAt(CHALLENGE), "the challenge is used up");
    }

    @Test
    void wholeFileInCrlfIsAccepted() {
        challenges.issue(CHALLENGE, SIGNED_AROUND);
        submit(text(JDK_ECDSA).replace("\n", "\r\n"));
    }

    @Test
    void charsetUtf8IsAcceptedInTheContentType() {
        challenges.issue(CHALLENGE, SIGNED_AROUND);
        login.submit("application/xml; charset=UTF-8", XadesSamples.bytes(JDK_ECDSA));
    }

    @Test
    void reusedChallengeIsInvalid() {
        challenges.issue(CHALLENGE, SIGNED_AROUND);
        submit(text(DSS_RSA));
        assertEquals(21111, code(text(DSS_RSA)));
        assertEquals(21111, code(text(JDK_ECDSA)));
    }

    @Test
    void unknownChallengeIsInvalid() {
        challenges.issue("20250625-CR-20F5EE4000-DA48AE4124-47", SIGNED_AROUND);
        assertEquals(21111, code(text(JDK_ECDSA)));
    }

    @Test
    void challengeOlderThanTenMinutesIsInvalid() {
        challenges.issue(CHALLENGE, SIGNED_AROUND);
        now.set(SIGNED_AROUND.plus(Duration.ofMinutes(11)));
        assertEquals(21111, code(text(JDK_ECDSA)));
        now.set(SIGNED_AROUND.plus(Duration.ofMinutes(9)));
        submit(text(JDK_ECDSA));
    }

    @Test
    void rejectedSubmissionLeavesTheChallengeUsable() {
        challenges.issue(CHALLENGE, SIGNED_AROUND);
        assertEquals(9105, code(replaceOnce(text(JDK_ECDSA), "<ds:SignedInfo>", "<ds:SignedInfo>\n")));
        submit(text(JDK_ECDSA));
    }

    @Test
    void nineDigitNipFailsTheSchemaBeforeTheSignature() {
        challenges.issue(CHALLENGE, SIGNED_AROUND);
        XadesVerificationException e = assertThrows(XadesVerificationException.class,
                () -> submit(replaceOnce(text(JDK_ECDSA), "<Nip>5265877635</Nip>", "<Nip>526587763</Nip>")));
        assertEquals(21401, e.code());
        assertEquals("Dokument nie jest zgodny ze schemą (xsd).", e.description());
        assertTrue(e.details().startsWith("cvc-pattern-valid"), e.details());
    }

    @Test
    void editedSignatureIsRefusedAfterTheSchema() {
        challenges.issue(CHALLENGE, SIGNED_AROUND);
        assertEquals(9105, code(replaceOnce(text(DSS_RSA), "<Nip>5265877635</Nip>", "<Nip>5265877636</Nip>")));
        assertEquals(9105, code(XadesSamples.withDerEcdsaValue(text(JDK_ECDSA))));
    }

    @Test
    void signatureCountAndRootAreCheckedBeforeTheSchema() {
        String text = text(JDK_ECDSA);
        String signature = XadesSamples.signature(text);
        assertEquals(9102, code(replaceOnce(text, signature, "")));
        assertEquals(9103, code(replaceOnce(text, "</AuthTokenRequest>", signature.replace("Signature-1", "Signature-2")
                .replace("SignedProperties-1", "SignedProperties-2") + "</AuthTokenRequest>")));
        assertEquals(9101, code(text.replace("AuthTokenRequest", "AuthRequest")));
    }

    private XadesLogin.Accepted submitFresh(byte[] signed) {
        challenges.issue(CHALLENGE, SIGNED_AROUND);
        return login.submit(XML, signed);
    }

    private int codeOfFresh(byte[] signed) {
        challenges.issue(CHALLENGE, SIGNED_AROUND);
        return code(XML, signed);
    }

    private static SigningCredential seal() {
        return FreshSignatures.credential(NIP, SelfSignedCertificates.Type.SEAL);
    }

    @Test
    void csharpShapeIsAccepted() {
        assertEquals(ContextIdentifier.nip(NIP), submitFresh(sign(requestForNip(NIP), seal(), FreshSignatures.CSHARP)).context());
    }

    @Test
    void sha1DigestsAreUnsupported() {
        assertEquals(9105, codeOfFresh(sign(requestForNip(NIP), seal(), FreshSignatures.SHA1)));
    }

    @Test
    void nipVatUeContextPassesTheSchemaAndIsAccepted() {
        var context = new ContextIdentifier("NipVatUe", NIP + "-ATU12345678");
        assertEquals(context, submitFresh(sign(request(context.type(), context.value(), CERTIFICATE_SUBJECT), seal())).context());
    }

    @Test
    void internalIdWithItsCheckDigitIsAccepted() {
        var context = new ContextIdentifier("InternalId", NIP + "-12346");
        assertEquals(context, submitFresh(sign(request(context.type(), context.value(), CERTIFICATE_SUBJECT), seal())).context());
    }

    @Test
    void internalIdWithAWrongCheckDigitPassesTheSchemaButNotTheContextCheck() {
        assertEquals(21117, codeOfFresh(sign(request("InternalId", NIP + "-12345", CERTIFICATE_SUBJECT), seal())));
    }

    @Test
    void nipContextWithAWrongChecksumPassesTheSchemaButNotTheContextCheck() {
        assertEquals(21117, codeOfFresh(sign(requestForNip("5265877636"), seal())));
    }

    @Test
    void nipVatUeContextWithAWrongNipChecksumIsInvalid() {
        assertEquals(21117, codeOfFresh(sign(request("NipVatUe", "5265877636-ATU12345678", CERTIFICATE_SUBJECT), seal())));
    }

    @Test
    void personCertificateIsAcceptedWithTheNipOfItsSerialNumber() {
        XadesLogin.Accepted accepted = submitFresh(sign(requestForNip(NIP), FreshSignatures.credential(NIP, SelfSignedCertificates.Type.PERSON)));
        assertEquals(new CertificateSubject.Identifier("Nip", NIP), accepted.subject());
        assertFalse(accepted.seal());
    }

    @Test
    void fingerprintSubjectIsTheCertificatesSha256() {
        SigningCredential seal = seal();
        XadesLogin.Accepted accepted = submitFresh(sign(request("Nip", NIP, CERTIFICATE_FINGERPRINT), seal));
        assertEquals(new CertificateSubject.Identifier("Fingerprint", seal.fingerprint()), accepted.subject());
        assertEquals(CERTIFICATE_FINGERPRINT, accepted.subjectIdentifierType());
    }

    @Test
    void sealWithoutOrganizationIsAnInvalidCertificate() {
        SigningCredential noO = FreshSignatures.credential("organizationIdentifier=VATPL-" + NIP + ",CN=Test seal,C=PL");
        assertEquals(21115, codeOfFresh(sign(requestForNip(NIP), noO)));
    }

    @Test
    void sealNamingAPersonIsAnInvalidCertificate() {
        SigningCredential withGivenName = FreshSignatures.credential("organizationIdentifier=VATPL-" + NIP + ",O=Test seal,GIVENNAME=Jan,CN=Test seal,C=PL");
        assertEquals(21115, codeOfFresh(sign(requestForNip(NIP), withGivenName)));
    }

    @Test
    void personWithATenDigitPeselHasNoIdentifierForCertificateSubject() {
        assertEquals(21406, codeOfFresh(sign(requestForNip(NIP), tenDigitPesel())));
    }

    @Test
    void personWithATenDigitPeselLogsInByFingerprint() {
        SigningCredential person = tenDigitPesel();
        XadesLogin.Accepted accepted = submitFresh(sign(request("Nip", NIP, CERTIFICATE_FINGERPRINT), person));
        assertEquals(new CertificateSubject.Identifier("Fingerprint", person.fingerprint()), accepted.subject());
    }

    /** The certificate of ksef-api#169: a person whose serialNumber carries a PESEL of ten digits only. */
    private static SigningCredential tenDigitPesel() {
        return FreshSignatures.credential("GIVENNAME=Jan,SURNAME=Kowalski,SERIALNUMBER=PESEL-9876543210,CN=Jan Kowalski,C=PL");
    }

    @ParameterizedTest
    @ValueSource(strings = {"text/xml", "application/json", "application/xml; charset=iso-8859-2", "application/octet-stream"})
    void otherMediaTypesAreUnsupported(String contentType) {
        challenges.issue(CHALLENGE, SIGNED_AROUND);
        assertThrows(XadesLogin.UnsupportedMediaType.class, () -> login.submit(contentType, XadesSamples.bytes(JDK_ECDSA)));
        assertThrows(XadesLogin.UnsupportedMediaType.class, () -> login.submit(null, XadesSamples.bytes(JDK_ECDSA)));
    }

    @Test
    void latin2BytesByteOrderMarkAndOtherDeclaredEncodingsAreBadEncoding() {
        String text = text(JDK_ECDSA);
        String withPolishComment = replaceOnce(text, "<Challenge>", "<!-- Kowalski spółka z o.o. --><Challenge>");
        assertEquals(21217, code(XML, withPolishComment.getBytes(Charset.forName("ISO-8859-2"))));
        byte[] plain = utf8(text);
        byte[] withBom = new byte[plain.length + 3];
        withBom[0] = (byte) 0xEF;
        withBom[1] = (byte) 0xBB;
        withBom[2] = (byte) 0xBF;
        System.arraycopy(plain, 0, withBom, 3, plain.length);
        assertEquals(21217, code(XML, withBom));
        assertEquals(21217, code(replaceOnce(text, "encoding=\"utf-8\"", "encoding=\"ISO-8859-2\"")));
        assertEquals(21217, code(XML, text.getBytes(StandardCharsets.UTF_16)));
    }

    @Test
    void unreadableBodiesAreUnreadable() {
        String text = text(JDK_ECDSA);
        assertEquals(21001, code(text.substring(0, text.length() - 5)));
        assertEquals(21001, code(""));
        String body = text.substring(text.indexOf("?>") + 2);
        assertEquals(21001, code("<!DOCTYPE AuthTokenRequest [<!ENTITY x SYSTEM \"file:///etc/hostname\">]>"
                + body.replace("<SubjectIdentifierType>", "<SubjectIdentifierType>&x;")));
    }

    @Test
    void oversizedBodyIsRefusedBeforeReadingIt() {
        String text = text(JDK_ECDSA);
        String padded = replaceOnce(text, "<Challenge>", "<!--" + "x".repeat(XadesLogin.MAX_BODY_BYTES) + "--><Challenge>");
        assertEquals(21405, code(padded));
    }
}
