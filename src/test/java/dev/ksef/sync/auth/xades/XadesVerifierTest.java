package dev.ksef.sync.auth.xades;

import static dev.ksef.sync.auth.xades.XadesSamples.DSS_RSA;
import static dev.ksef.sync.auth.xades.XadesSamples.JDK_ECDSA;
import static dev.ksef.sync.auth.xades.XadesSamples.replaceOnce;
import static dev.ksef.sync.auth.xades.XadesSamples.text;
import static dev.ksef.sync.auth.xades.XadesSamples.utf8;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.time.OffsetDateTime;
import java.util.concurrent.atomic.AtomicInteger;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.transform.OutputKeys;
import javax.xml.transform.Transformer;
import javax.xml.transform.TransformerFactory;
import javax.xml.transform.dom.DOMSource;
import javax.xml.transform.stream.StreamResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link XadesVerifier} on the two signed samples made by other signers (EU DSS with the official Java SDK's
 * settings; the JDK recipe) and on edited copies of them, each edit asserting the KSeF code and detail it earns.
 */
class XadesVerifierTest {

    private static final String DIGEST_OF_DOCUMENT = "Nieprawidłowa wartość skrótu dla referencji wskazującej na element ''.";

    private final XadesVerifier verifier = new XadesVerifier();

    private XadesVerifier.Verified verify(String xml) {
        return verifier.verify(XadesVerifier.parse(utf8(xml)));
    }

    private XadesVerificationException rejected(String xml) {
        return assertThrows(XadesVerificationException.class, () -> verify(xml));
    }

    private void assertRejected(int code, String details, String xml) {
        XadesVerificationException e = rejected(xml);
        assertEquals(code, e.code(), e.getMessage());
        assertEquals(details, e.details(), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {DSS_RSA, JDK_ECDSA})
    void samplesOfOtherSignersVerify(String sample) {
        XadesVerifier.Verified verified = verify(text(sample));
        assertEquals("AuthTokenRequest", verified.request().getLocalName());
        assertEquals(XadesVerifier.AUTH_NAMESPACE_20, verified.request().getNamespaceURI());
        assertTrue(verified.certificate().getSubjectX500Principal().getName().contains("2.5.4.97=#0c10564154504c2d35323635383737363335"),
                "the seal's organizationIdentifier VATPL-" + XadesSamples.NIP);
        assertTrue(verified.signingTime().isAfter(OffsetDateTime.parse("2026-11-29T23:45:00Z")));
        assertTrue(verified.signingTime().isBefore(OffsetDateTime.parse("2026-11-29T23:49:00Z")));
    }

    @ParameterizedTest
    @ValueSource(strings = {DSS_RSA, JDK_ECDSA})
    void wholeFileInCrlfStillVerifies(String sample) {
        String crlf = text(sample).replace("\n", "\r\n");
        assertTrue(crlf.contains("\r\n"));
        verify(crlf);
    }

    @ParameterizedTest
    @ValueSource(strings = {DSS_RSA, JDK_ECDSA})
    void prettyPrintedAfterSigningFails(String sample) throws Exception {
        var factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        var document = factory.newDocumentBuilder().parse(new ByteArrayInputStream(XadesSamples.bytes(sample)));
        Transformer transformer = TransformerFactory.newInstance().newTransformer();
        transformer.setOutputProperty(OutputKeys.INDENT, "yes");
        transformer.setOutputProperty("{http://xml.apache.org/xslt}indent-amount", "4");
        ByteArrayOutputStream pretty = new ByteArrayOutputStream();
        transformer.transform(new DOMSource(document), new StreamResult(pretty));
        assertFalse(pretty.toString(UTF_8).equals(text(sample)));
        assertEquals(9105, rejected(pretty.toString(UTF_8)).code());
    }

    @ParameterizedTest
    @ValueSource(strings = {DSS_RSA, JDK_ECDSA})
    void oneByteChangedInTheBodyFailsTheDocumentDigest(String sample) {
        assertRejected(9105, DIGEST_OF_DOCUMENT, replaceOnce(text(sample), "DA48AE4124-46<", "DA48AE4124-47<"));
    }

    @ParameterizedTest
    @ValueSource(strings = {DSS_RSA, JDK_ECDSA})
    void newlineInsideSignedInfoFailsTheSignatureValue(String sample) {
        assertRejected(9105, "Podpis zweryfikowany negatywnie.", replaceOnce(text(sample), "<ds:SignedInfo>", "<ds:SignedInfo>\n"));
    }

    @Test
    void newlineInsideSignedPropertiesFailsItsDigest() {
        String dss = replaceOnce(text(DSS_RSA), "<xades:SignedSignatureProperties>", "\n<xades:SignedSignatureProperties>");
        assertRejected(9105, "Nieprawidłowa wartość skrótu dla referencji wskazującej na element '#xades-id-d1f5e5b734af2a035873d2e8bf17b71a'.", dss);
        String jdk = replaceOnce(text(JDK_ECDSA), "<xades:SignedSignatureProperties>", "\n<xades:SignedSignatureProperties>");
        assertRejected(9105, "Nieprawidłowa wartość skrótu dla referencji wskazującej na element '#SignedProperties-1'.", jdk);
    }

    @Test
    void ecdsaValueEncodedAsDerFails() {
        assertRejected(9105, "Podpis zweryfikowany negatywnie.", XadesSamples.withDerEcdsaValue(text(JDK_ECDSA)));
    }

    @Test
    void signedPropertiesReferenceRemovedIsNotAnAcceptedProfile() {
        String text = text(JDK_ECDSA);
        int start = text.indexOf("<ds:Reference Type=\"http://uri.etsi.org/01903#SignedProperties\"");
        int end = text.indexOf("</ds:Reference>", start) + "</ds:Reference>".length();
        assertRejected(9105, "Format podpisu niezgodny z akceptowanymi profilami XAdES.", text.substring(0, start) + text.substring(end));
    }

    @Test
    void signingCertificateBeforeSigningTimeIsNotAnAcceptedProfile() {
        String text = text(JDK_ECDSA);
        String signingTime = text.substring(text.indexOf("<xades:SigningTime>"), text.indexOf("</xades:SigningTime>") + "</xades:SigningTime>".length());
        String swapped = replaceOnce(replaceOnce(text, signingTime, ""), "</xades:SigningCertificate>", "</xades:SigningCertificate>" + signingTime);
        assertRejected(9105, "Format podpisu niezgodny z akceptowanymi profilami XAdES.", swapped);
    }

    @Test
    void qualifyingPropertiesForAnotherSignatureIsNotAnAcceptedProfile() {
        assertRejected(9105, "Format podpisu niezgodny z akceptowanymi profilami XAdES.",
                replaceOnce(text(JDK_ECDSA), "Target=\"#Signature-1\"", "Target=\"#Signature-2\""));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "<ds:DigestMethod Algorithm=\"http://www.w3.org/2001/04/xmlenc#sha256\"/><ds:DigestValue>VNnn | http://www.w3.org/2000/09/xmldsig#sha1",
            "<ds:SignatureMethod Algorithm=\"http://www.w3.org/2001/04/xmldsig-more#rsa-sha256\"/> | http://www.w3.org/2000/09/xmldsig#rsa-sha1",
            "<ds:CanonicalizationMethod Algorithm=\"http://www.w3.org/2001/10/xml-exc-c14n#\"/> | http://www.w3.org/TR/1999/REC-xslt-19991116",
            "<xades:CertDigest><ds:DigestMethod Algorithm=\"http://www.w3.org/2001/04/xmlenc#sha256\"/> | http://www.w3.org/2000/09/xmldsig#sha1"})
    void sha1AndUnlistedAlgorithmsAreUnsupported(String element, String algorithm) {
        String edited = element.replaceFirst("Algorithm=\"[^\"]*\"", "Algorithm=\"" + algorithm + "\"");
        assertRejected(9105, "Podpis złożony z użyciem niewspieranego algorytmu kryptograficznego.", replaceOnce(text(DSS_RSA), element, edited));
    }

    @Test
    void freshSignatureWithSha1DigestsIsUnsupported() {
        assertRejected(9105, "Podpis złożony z użyciem niewspieranego algorytmu kryptograficznego.", freshlySigned(FreshSignatures.SHA1));
    }

    @Test
    void freshSignatureWithSigningTimeAfterSigningCertificateIsNotAnAcceptedProfile() {
        assertRejected(9105, "Format podpisu niezgodny z akceptowanymi profilami XAdES.", freshlySigned(FreshSignatures.SIGNING_TIME_LAST));
    }

    @Test
    void csharpShapeWithInclusiveSignedInfoAndUnprefixedXmldsigVerifies() {
        String csharp = freshlySigned(FreshSignatures.CSHARP);
        assertTrue(csharp.contains("<Signature xmlns=\"http://www.w3.org/2000/09/xmldsig#\"")
                && csharp.contains("<CanonicalizationMethod Algorithm=\"http://www.w3.org/TR/2001/REC-xml-c14n-20010315\"/>"), csharp);
        assertEquals(FreshSignatures.AT.minusSeconds(60), verify(csharp).signingTime().toInstant());
    }

    private static String freshlySigned(XadesSigner.Profile profile) {
        SigningCredential seal = FreshSignatures.credential(XadesSamples.NIP, SelfSignedCertificates.Type.SEAL);
        return new String(FreshSignatures.sign(FreshSignatures.requestForNip(XadesSamples.NIP), seal, profile), UTF_8);
    }

    @Test
    void xpathTransformOtherThanKsefsExpressionIsUnsupported() {
        String xpath = "<ds:Transform Algorithm=\"http://www.w3.org/TR/1999/REC-xpath-19991116\"><ds:XPath>not(ancestor-or-self::ds:Object)</ds:XPath></ds:Transform>";
        assertRejected(9105, "Podpis złożony z użyciem niewspieranego algorytmu kryptograficznego.",
                replaceOnce(text(JDK_ECDSA), "<ds:Transform Algorithm=\"http://www.w3.org/2000/09/xmldsig#enveloped-signature\"/>", xpath));
    }

    @Test
    void filterThatSubtractsMoreThanTheSignatureLeavesTheRequestUnsigned() {
        String text = replaceOnce(text(DSS_RSA), ">/descendant::ds:Signature<", ">/descendant::ds:Signature | //*[local-name()='Challenge']<");
        assertRejected(9105, "Format podpisu niezgodny z akceptowanymi profilami XAdES.", text);
    }

    @Test
    void signatureThatDoesNotCoverTheRequestIsRefused() {
        String text = text(JDK_ECDSA);
        int start = text.indexOf("<ds:Reference URI=\"\">");
        int end = text.indexOf("</ds:Reference>", start) + "</ds:Reference>".length();
        assertRejected(9105, "Format podpisu niezgodny z akceptowanymi profilami XAdES.", text.substring(0, start) + text.substring(end));
    }

    @Test
    void referenceToAMissingElementIsNotFound() {
        assertRejected(9105, "Element wskazywany przez referencję '#SignedProperties-2' nie został odnaleziony.",
                replaceOnce(text(JDK_ECDSA), "URI=\"#SignedProperties-1\"", "URI=\"#SignedProperties-2\""));
        assertRejected(9105, "Element wskazywany przez referencję 'null' nie został odnaleziony.",
                replaceOnce(text(JDK_ECDSA), " URI=\"#SignedProperties-1\"", ""));
    }

    @Test
    void externalReferenceIsRefusedWithoutFetching() throws Exception {
        AtomicInteger fetched = new AtomicInteger();
        HttpServer server = countingServer(fetched);
        try {
            String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/signed-properties";
            assertRejected(9105, "Format podpisu niezgodny z akceptowanymi profilami XAdES.",
                    replaceOnce(text(JDK_ECDSA), "URI=\"#SignedProperties-1\"", "URI=\"" + url + "\""));
            assertEquals(0, fetched.get());
        } finally {
            server.stop(0);
        }
    }

    @Test
    void duplicateIdIsAWrappingAttempt() {
        assertRejected(9105, "Podpis zweryfikowany negatywnie.",
                replaceOnce(text(JDK_ECDSA), "<SubjectIdentifierType>", "<SubjectIdentifierType Id=\"SignedProperties-1\">"));
    }

    @Test
    void certificateMissingFromKeyInfoIsNotAnAcceptedProfile() {
        String text = text(JDK_ECDSA);
        int start = text.indexOf("<ds:KeyInfo>");
        int end = text.indexOf("</ds:KeyInfo>") + "</ds:KeyInfo>".length();
        assertRejected(9105, "Format podpisu niezgodny z akceptowanymi profilami XAdES.", text.substring(0, start) + text.substring(end));
    }

    @Test
    void certificateOfAnotherKeyFailsTheSignatureValue() {
        String dss = text(DSS_RSA);
        String jdk = text(JDK_ECDSA);
        String rsaCertificate = dss.substring(dss.indexOf("<ds:X509Certificate>"), dss.indexOf("</ds:X509Certificate>"));
        String ecCertificate = jdk.substring(jdk.indexOf("<ds:X509Certificate>"), jdk.indexOf("</ds:X509Certificate>"));
        assertRejected(9105, "Podpis zweryfikowany negatywnie.", replaceOnce(jdk, ecCertificate, rsaCertificate));
    }

    @Test
    void twoSignaturesExceedTheLimit() {
        String text = text(JDK_ECDSA);
        String twice = replaceOnce(text, "</AuthTokenRequest>", XadesSamples.signature(text).replace("Signature-1", "Signature-2")
                .replace("SignedProperties-1", "SignedProperties-2") + "</AuthTokenRequest>");
        XadesVerificationException e = rejected(twice);
        assertEquals(9103, e.code());
        assertEquals("Przekroczona liczba dozwolonych podpisów.", e.description());
    }

    @Test
    void unsignedDocumentHasNoSignature() {
        String text = text(DSS_RSA);
        XadesVerificationException e = rejected(replaceOnce(text, XadesSamples.signature(text), ""));
        assertEquals(9102, e.code());
        assertEquals("Brak podpisu.", e.description());
    }

    @Test
    void signatureNestedInsideTheRequestIsNotEnveloped() {
        String text = text(JDK_ECDSA);
        String signature = XadesSamples.signature(text);
        String nested = replaceOnce(replaceOnce(text, signature, ""), "</ContextIdentifier>", signature + "</ContextIdentifier>");
        assertEquals(9101, rejected(nested).code());
    }

    @Test
    void anotherRootIsNotALoginDocument() {
        String text = text(JDK_ECDSA).replace("AuthTokenRequest", "AuthRequest");
        XadesVerificationException e = rejected(text);
        assertEquals(9101, e.code());
        assertEquals("Nieprawidłowy dokument.", e.description());
        String otherNamespace = text(JDK_ECDSA).replace("http://ksef.mf.gov.pl/auth/token/2.0", "http://ksef.mf.gov.pl/auth/token/3.0");
        assertEquals(9101, rejected(otherNamespace).code());
    }

    @Test
    void notWellFormedIsUnreadable() {
        String text = text(JDK_ECDSA);
        XadesVerificationException e = rejected(text.substring(0, text.length() - 5));
        assertEquals(21001, e.code());
        assertEquals("Nieczytelna treść.", e.description());
        assertFalse(e.details().isEmpty(), "the parser's message");
    }

    @Test
    void doctypeIsRefusedAndNoEntityIsFetched() throws Exception {
        AtomicInteger fetched = new AtomicInteger();
        HttpServer server = countingServer(fetched);
        try {
            String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/entity";
            String text = text(JDK_ECDSA);
            String body = text.substring(text.indexOf("?>") + 2);
            String external = "<?xml version=\"1.0\" encoding=\"utf-8\"?><!DOCTYPE AuthTokenRequest [<!ENTITY x SYSTEM \"" + url + "\">]>"
                    + body.replace("<SubjectIdentifierType>", "<SubjectIdentifierType>&x;");
            String dtd = "<?xml version=\"1.0\" encoding=\"utf-8\"?><!DOCTYPE AuthTokenRequest SYSTEM \"" + url + "\">" + body;
            String bomb = "<?xml version=\"1.0\" encoding=\"utf-8\"?><!DOCTYPE AuthTokenRequest [<!ENTITY a \"aaaaaaaaaa\">"
                    + "<!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\">]>" + body.replace("<SubjectIdentifierType>", "<SubjectIdentifierType>&b;");
            for (String xml : new String[] {external, dtd, bomb}) {
                assertEquals(21001, assertThrows(XadesVerificationException.class, () -> XadesVerifier.parse(utf8(xml))).code());
            }
            assertEquals(0, fetched.get(), "nothing fetched");
        } finally {
            server.stop(0);
        }
    }

    private static HttpServer countingServer(AtomicInteger hits) throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            hits.incrementAndGet();
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        server.start();
        return server;
    }
}
