package dev.ksef.sync.simulator;

import static dev.ksef.sync.auth.xades.AuthTokenRequestDocument.CERTIFICATE_FINGERPRINT;
import static dev.ksef.sync.auth.xades.XadesSamples.CHALLENGE;
import static dev.ksef.sync.auth.xades.XadesSamples.DSS_RSA;
import static dev.ksef.sync.auth.xades.XadesSamples.JDK_ECDSA;
import static dev.ksef.sync.auth.xades.XadesSamples.NIP;
import static dev.ksef.sync.auth.xades.XadesSamples.SIGNED_AROUND;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ksef.sync.api.AuthenticationInitResponse;
import dev.ksef.sync.api.AuthenticationTokensResponse;
import dev.ksef.sync.auth.xades.FreshSignatures;
import dev.ksef.sync.auth.xades.SelfSignedCertificates;
import dev.ksef.sync.auth.xades.SigningCredential;
import dev.ksef.sync.auth.xades.XadesSamples;
import java.io.ByteArrayInputStream;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.OffsetDateTime;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.w3c.dom.Document;

/**
 * {@code POST /v2/auth/xades-signature} over real HTTP: the signed samples replayed against a started simulator whose
 * clock is set to the samples' time and whose challenge store holds their challenge; then the asynchronous outcome,
 * redeem and refresh, exactly as for the KSeF-token login.
 */
class XadesSignatureEndpointTest {

    /** A valid NIP other than the samples' (the spec's example). */
    private static final String OTHER_NIP = "7762811692";

    private KsefSimulator simulator;

    @AfterEach
    void stop() {
        if (simulator != null) {
            simulator.close();
        }
    }

    private SimulatorClient started(SimulatorConfig config, OffsetDateTime at) {
        simulator = new KsefSimulator(config).start();
        simulator.clock().set(at);
        simulator.issueChallenge(CHALLENGE);
        return new SimulatorClient(simulator);
    }

    private static AuthenticationInitResponse accepted(SimulatorClient.Exchange submitted) throws Exception {
        assertEquals(202, submitted.status(), submitted.responseBody());
        return submitted.as(AuthenticationInitResponse.class);
    }

    /** Polls {@code GET /auth/{ref}} until the status is no longer 100 and returns the final body. */
    private static JsonNode finalStatus(SimulatorClient client, AuthenticationInitResponse init) throws Exception {
        String path = "/auth/" + init.referenceNumber();
        String token = init.authenticationToken().token();
        JsonNode first = client.call("GET", path, null, token).json();
        assertEquals(100, first.at("/status/code").asInt(), "in progress first");
        return client.call("GET", path, null, token).json();
    }

    @ParameterizedTest
    @ValueSource(strings = {DSS_RSA, JDK_ECDSA})
    void sampleLogsInAsTheSealOwnerThenRedeemsOnceAndRefreshes(String sample) throws Exception {
        SimulatorClient client = started(new SimulatorConfig().authPollsBeforeReady(1), SIGNED_AROUND);
        var init = accepted(client.postBytes("/auth/xades-signature?verifyCertificateChain=false", XadesSamples.bytes(sample), "application/xml"));
        assertTrue(init.referenceNumber().matches("\\d{8}-AU-[0-9A-F]{10}-[0-9A-F]{10}-[0-9A-F]{2}"), init.referenceNumber());

        JsonNode done = finalStatus(client, init);
        assertEquals(200, done.at("/status/code").asInt(), done.toString());
        assertEquals("XadesSignature", done.at("/authenticationMethodInfo/category").asText());
        assertEquals("xades.qualified-seal", done.at("/authenticationMethodInfo/code").asText());
        assertEquals("Pieczęć kwalifikowana", done.at("/authenticationMethodInfo/displayName").asText());
        assertEquals("QualifiedSeal", done.at("/authenticationMethod").asText());

        String authToken = init.authenticationToken().token();
        var tokens = client.call("POST", "/auth/token/redeem", null, authToken);
        assertEquals(200, tokens.status(), tokens.responseBody());
        var again = client.call("POST", "/auth/token/redeem", null, authToken);
        assertEquals(400, again.status());
        assertEquals(21301, again.json().at("/exception/exceptionDetailList/0/exceptionCode").asInt());
        var refreshed = client.call("POST", "/auth/token/refresh", null, tokens.as(AuthenticationTokensResponse.class).refreshToken().token());
        assertEquals(200, refreshed.status(), refreshed.responseBody());
        String access = refreshed.json().at("/accessToken/token").asText();
        var status = client.call("GET", "/invoices/exports/20261130-EH-0000000000-0000000000-00", null, access);
        assertEquals(400, status.status(), "the access token works in the NIP context (an unknown export, not 401)");
    }

    @Test
    void sameChallengeTwiceIsRefusedTheSecondTime() throws Exception {
        SimulatorClient client = started(new SimulatorConfig(), SIGNED_AROUND);
        accepted(client.postBytes("/auth/xades-signature", XadesSamples.bytes(JDK_ECDSA), "application/xml"));
        var second = client.postBytes("/auth/xades-signature", XadesSamples.bytes(JDK_ECDSA), "application/xml");
        assertEquals(400, second.status());
        assertEquals(21111, second.json().at("/exception/exceptionDetailList/0/exceptionCode").asInt());
    }

    @Test
    void certificateExpiredByTheSimulatorsClockEndsWith460() throws Exception {
        SimulatorClient client = started(new SimulatorConfig(), OffsetDateTime.parse("2027-12-01T00:00:00Z"));
        JsonNode done = finalStatus(client, accepted(client.postBytes("/auth/xades-signature", XadesSamples.bytes(DSS_RSA), "application/xml")));
        assertEquals(460, done.at("/status/code").asInt());
        assertEquals("Nieważny certyfikat", done.at("/status/details/0").asText());
    }

    @Test
    void chainVerificationWithoutATrustAnchorEndsWith460() throws Exception {
        SimulatorClient client = started(new SimulatorConfig(), SIGNED_AROUND);
        var init = accepted(client.postBytes("/auth/xades-signature?verifyCertificateChain=true", XadesSamples.bytes(JDK_ECDSA), "application/xml"));
        JsonNode done = finalStatus(client, init);
        assertEquals(460, done.at("/status/code").asInt());
        assertEquals("Niezaufany łańcuch certyfikatów", done.at("/status/details/0").asText());
        var redeem = client.call("POST", "/auth/token/redeem", null, init.authenticationToken().token());
        assertEquals(400, redeem.status());
        assertEquals(21301, redeem.json().at("/exception/exceptionDetailList/0/exceptionCode").asInt());
    }

    @Test
    void chainVerificationWithTheCertificateAsTrustAnchorSucceeds() throws Exception {
        String text = XadesSamples.text(JDK_ECDSA);
        String base64 = text.substring(text.indexOf("<ds:X509Certificate>") + 20, text.indexOf("</ds:X509Certificate>"));
        var certificate = (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(Base64.getDecoder().decode(base64)));
        SimulatorClient client = started(new SimulatorConfig().trustAnchor(certificate), SIGNED_AROUND);
        var init = accepted(client.postBytes("/auth/xades-signature?verifyCertificateChain=true", XadesSamples.bytes(JDK_ECDSA), "application/xml"));
        assertEquals(200, finalStatus(client, init).at("/status/code").asInt());
    }

    /** Posts a request freshly signed at the samples' time and returns the login's final status. */
    private static JsonNode freshLoginEnds(SimulatorClient client, String query, Document request, SigningCredential credential) throws Exception {
        byte[] signed = FreshSignatures.sign(request, credential);
        return finalStatus(client, accepted(client.postBytes("/auth/xades-signature" + query, signed, "application/xml")));
    }

    private static SigningCredential seal() {
        return FreshSignatures.credential(NIP, SelfSignedCertificates.Type.SEAL);
    }

    @Test
    void personCertificateLogsInAsAQualifiedSignature() throws Exception {
        SimulatorClient client = started(new SimulatorConfig(), SIGNED_AROUND);
        JsonNode done = freshLoginEnds(client, "", FreshSignatures.requestForNip(NIP), FreshSignatures.credential(NIP, SelfSignedCertificates.Type.PERSON));
        assertEquals(200, done.at("/status/code").asInt(), done.toString());
        assertEquals("xades.qualified-signature", done.at("/authenticationMethodInfo/code").asText());
        assertEquals("QualifiedSignature", done.at("/authenticationMethod").asText());
    }

    @Test
    void fingerprintWithoutAGrantEndsWith415() throws Exception {
        SimulatorClient client = started(new SimulatorConfig(), SIGNED_AROUND);
        JsonNode done = freshLoginEnds(client, "", FreshSignatures.request("Nip", NIP, CERTIFICATE_FINGERPRINT), seal());
        assertEquals(415, done.at("/status/code").asInt(), done.toString());
    }

    @Test
    void fingerprintGrantedInvoiceReadEndsWith200() throws Exception {
        SimulatorClient client = started(new SimulatorConfig(), SIGNED_AROUND);
        SigningCredential seal = seal();
        simulator.grantInvoiceRead(seal.fingerprint(), NIP);
        JsonNode done = freshLoginEnds(client, "", FreshSignatures.request("Nip", NIP, CERTIFICATE_FINGERPRINT), seal);
        assertEquals(200, done.at("/status/code").asInt(), done.toString());
    }

    @Test
    void anotherContextWithoutAGrantEndsWith415() throws Exception {
        SimulatorClient client = started(new SimulatorConfig(), SIGNED_AROUND);
        JsonNode done = freshLoginEnds(client, "", FreshSignatures.requestForNip(OTHER_NIP), seal());
        assertEquals(415, done.at("/status/code").asInt(), done.toString());
    }

    @Test
    void anotherContextWithAGrantToTheCertificatesNipEndsWith200() throws Exception {
        SimulatorClient client = started(new SimulatorConfig(), SIGNED_AROUND);
        simulator.grantInvoiceRead(NIP, OTHER_NIP);
        JsonNode done = freshLoginEnds(client, "", FreshSignatures.requestForNip(OTHER_NIP), seal());
        assertEquals(200, done.at("/status/code").asInt(), done.toString());
    }

    @Test
    void freshSelfSignedCertificateWithChainVerificationEndsWith460() throws Exception {
        SimulatorClient client = started(new SimulatorConfig(), SIGNED_AROUND);
        JsonNode done = freshLoginEnds(client, "?verifyCertificateChain=true", FreshSignatures.requestForNip(NIP), seal());
        assertEquals(460, done.at("/status/code").asInt(), done.toString());
        assertEquals("Niezaufany łańcuch certyfikatów", done.at("/status/details/0").asText());
    }

    @Test
    void blockedContextEndsWith480() throws Exception {
        SimulatorClient client = started(new SimulatorConfig(), SIGNED_AROUND);
        simulator.blockContext(NIP);
        JsonNode done = finalStatus(client, accepted(client.postBytes("/auth/xades-signature", XadesSamples.bytes(JDK_ECDSA), "application/xml")));
        assertEquals(480, done.at("/status/code").asInt());
    }

    @Test
    void refusalsComeAsExceptionResponseOrProblemDetailsAndWrongMediaTypeAs415() throws Exception {
        SimulatorClient client = started(new SimulatorConfig(), SIGNED_AROUND);
        byte[] unsigned = XadesSamples.utf8(XadesSamples.text(JDK_ECDSA).replace(XadesSamples.signature(XadesSamples.text(JDK_ECDSA)), ""));
        var classic = client.postBytes("/auth/xades-signature", unsigned, "application/xml");
        assertEquals(400, classic.status());
        assertEquals("application/json", classic.contentType());
        assertEquals(9102, classic.json().at("/exception/exceptionDetailList/0/exceptionCode").asInt());
        assertEquals("Brak podpisu.", classic.json().at("/exception/exceptionDetailList/0/exceptionDescription").asText());

        client.problemDetails = true;
        var problem = client.postBytes("/auth/xades-signature", XadesSamples.bytes(JDK_ECDSA).clone(), "application/xml; charset=utf-8");
        assertEquals(202, problem.status(), "the challenge was not used by the refused submission");
        var reused = client.postBytes("/auth/xades-signature", XadesSamples.bytes(JDK_ECDSA), "application/xml");
        assertEquals(400, reused.status());
        assertEquals("application/problem+json", reused.contentType());
        assertEquals(21111, reused.json().at("/errors/0/code").asInt());

        for (String contentType : new String[] {"text/xml", "application/json", null}) {
            assertEquals(415, client.postBytes("/auth/xades-signature", XadesSamples.bytes(DSS_RSA), contentType).status(), contentType);
        }
        List<Endpoint> endpoints = simulator.calls().stream().map(Call::endpoint).distinct().toList();
        assertTrue(endpoints.contains(Endpoint.XADES_SIGNATURE), endpoints.toString());
    }
}
