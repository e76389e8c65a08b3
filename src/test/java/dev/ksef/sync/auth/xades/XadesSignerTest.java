package dev.ksef.sync.auth.xades;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ksef.sync.api.KsefJson;
import dev.ksef.sync.simulator.KsefSimulator;
import dev.ksef.sync.simulator.SimulatorConfig;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.apache.xml.security.signature.XMLSignature;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/**
 * The signer's output for RSA and EC keys, seal and person certificates: verified by Apache Santuario (an XMLDSig
 * implementation independent of the JDK's), by our verifier, and by the simulator over HTTP as KSeF would (login
 * status 200); one line, single-line base64, an r‖s ECDSA value, SigningTime one minute back.
 */
class XadesSignerTest {

    static final String NIP = "5265877635";
    static final Instant NOW = Instant.parse("2026-11-30T10:15:30Z");

    @BeforeAll
    static void santuario() {
        org.apache.xml.security.Init.init();
    }

    static Stream<Arguments> keysAndCertificates() {
        return Stream.of(SelfSignedCertificates.KeyKind.values())
                .flatMap(key -> Stream.of(SelfSignedCertificates.Type.values()).map(type -> Arguments.of(key, type)));
    }

    @ParameterizedTest
    @MethodSource("keysAndCertificates")
    void signedRequestVerifiesIndependentlyAndHasKsefShape(SelfSignedCertificates.KeyKind key, SelfSignedCertificates.Type type) throws Exception {
        SigningCredential credential = SelfSignedCertificates.create(NIP, type, key, NOW.minus(Duration.ofHours(1)), NOW.plus(Duration.ofDays(365)));
        byte[] signed = new XadesSigner(Clock.fixed(NOW, ZoneOffset.UTC))
                .sign(AuthTokenRequestDocument.forNip("20261130-CR-20F5EE4000-DA48AE4124-46", NIP, "certificateSubject"), credential);

        Document parsed = parse(signed);
        Element signature = (Element) parsed.getElementsByTagNameNS(javax.xml.crypto.dsig.XMLSignature.XMLNS, "Signature").item(0);
        Element signedProperties = (Element) parsed.getElementsByTagNameNS(XadesSigner.XADES, "SignedProperties").item(0);
        signedProperties.setIdAttributeNS(null, "Id", true);
        XMLSignature santuario = new XMLSignature(signature, "");
        assertTrue(santuario.checkSignatureValue(credential.certificate()), "Apache Santuario verifies the signature");
        assertEquals(credential.certificate(), santuario.getKeyInfo().getX509Certificate(), "the certificate travels in KeyInfo");

        XadesVerifier.Verified verified = new XadesVerifier().verify(XadesVerifier.parse(signed));
        assertEquals(credential.certificate(), verified.certificate());
        assertEquals(NOW.minusSeconds(60), verified.signingTime().toInstant(), "SigningTime one minute back");

        String text = new String(signed, StandardCharsets.UTF_8);
        assertFalse(text.contains("&#13;") || text.contains("\n") || text.contains("\r"), "one line, base64 unwrapped: " + text);
        byte[] value = Base64.getDecoder().decode(parsed.getElementsByTagNameNS(javax.xml.crypto.dsig.XMLSignature.XMLNS, "SignatureValue").item(0).getTextContent());
        assertEquals(key == SelfSignedCertificates.KeyKind.EC ? 64 : 256, value.length, "ECDSA r‖s of 32+32 bytes, RSA-2048 256 bytes");
        assertEquals(signature, parsed.getDocumentElement().getLastChild(), "enveloped: the signature is the root's last child");
    }

    @Test
    void csharpShapeVerifiesIndependently() throws Exception {
        SigningCredential seal = FreshSignatures.credential(NIP, SelfSignedCertificates.Type.SEAL);
        Document parsed = parse(FreshSignatures.sign(FreshSignatures.requestForNip(NIP), seal, FreshSignatures.CSHARP));
        Element signature = (Element) parsed.getElementsByTagNameNS(javax.xml.crypto.dsig.XMLSignature.XMLNS, "Signature").item(0);
        ((Element) parsed.getElementsByTagNameNS(XadesSigner.XADES, "SignedProperties").item(0)).setIdAttributeNS(null, "Id", true);
        assertTrue(new XMLSignature(signature, "").checkSignatureValue(seal.certificate()),
                "Apache Santuario verifies inclusive C14N 1.0 over an unprefixed SignedInfo");
    }

    @ParameterizedTest
    @MethodSource("keysAndCertificates")
    void theSimulatorAcceptsTheLoginAsKsefWould(SelfSignedCertificates.KeyKind key, SelfSignedCertificates.Type type) throws Exception {
        try (KsefSimulator simulator = new KsefSimulator(new SimulatorConfig().unlimited()).start()) {
            Instant now = simulator.clock().now().toInstant();
            SigningCredential credential = SelfSignedCertificates.create(simulator.nip(), type, key, now.minus(Duration.ofHours(1)),
                    now.plus(Duration.ofDays(365)));
            HttpClient http = HttpClient.newHttpClient();
            JsonNode challenge = post(http, simulator.baseUrl() + "/auth/challenge", "application/json", new byte[0], 200);
            byte[] signed = new XadesSigner(Clock.systemUTC()).sign(
                    AuthTokenRequestDocument.forNip(challenge.get("challenge").asText(), simulator.nip(), "certificateSubject"), credential);
            JsonNode init = post(http, simulator.baseUrl() + "/auth/xades-signature?verifyCertificateChain=false", "application/xml", signed, 202);
            String bearer = "Bearer " + init.at("/authenticationToken/token").asText();
            int code = 100;
            for (int poll = 0; poll < 10 && code == 100; poll++) {
                HttpResponse<String> status = http.send(HttpRequest.newBuilder(URI.create(simulator.baseUrl() + "/auth/"
                        + init.get("referenceNumber").asText())).header("Authorization", bearer).GET().build(), HttpResponse.BodyHandlers.ofString());
                JsonNode body = KsefJson.mapper().readTree(status.body());
                code = body.at("/status/code").asInt();
                if (code == 200) {
                    assertEquals("XadesSignature", body.at("/authenticationMethodInfo/category").asText());
                }
            }
            assertEquals(200, code, "the subject's NIP is the context's: owner");
        }
    }

    private static JsonNode post(HttpClient http, String url, String contentType, byte[] body, int expected) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", contentType)
                .header("Accept", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(expected, response.statusCode(), response.body());
        return KsefJson.mapper().readTree(response.body());
    }

    static Document parse(byte[] xml) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        return factory.newDocumentBuilder().parse(new ByteArrayInputStream(xml));
    }
}
