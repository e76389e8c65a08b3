package dev.ksef.sync.auth;

import dev.ksef.sync.api.AuthenticationChallengeResponse;
import dev.ksef.sync.api.AuthenticationInitResponse;
import dev.ksef.sync.api.AuthenticationOperationStatusResponse;
import dev.ksef.sync.api.AuthenticationTokenRefreshResponse;
import dev.ksef.sync.api.AuthenticationTokensResponse;
import dev.ksef.sync.api.KsefJson;
import dev.ksef.sync.api.PublicKeyCertificate;
import dev.ksef.sync.api.TokenInfo;
import dev.ksef.sync.crypto.PublicKeyCertificates;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;

/**
 * The KSeF session of this process, shared by every subject type: the published public keys, and the access and
 * refresh tokens of a login with a KSeF token or with a certificate (XAdES). The routes ask it what to do
 * ({@link #action()}) and feed it the answers; it refreshes the access token a margin before {@code validUntil}.
 * Tokens never leave it except as a bearer header; the private key only signs.
 */
public final class KsefSession {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(KsefSession.class);

    /** What the route must do before a protected call. */
    public enum Action { NONE, REFRESH, LOGIN }

    private volatile KsefContext context;
    private final CertificateLoginRequests certificateLogins;
    private final Duration refreshMargin;
    private final Clock clock;
    private List<PublicKeyCertificate> certificates = List.of();
    private TokenInfo authenticationToken;
    private String authenticationReference;
    private TokenInfo accessToken;
    private TokenInfo refreshToken;
    private long loginStartedNanos;
    /** Held while a route renews the tokens (a Semaphore: the route may continue on another thread after a delay). */
    private final java.util.concurrent.Semaphore renewal = new java.util.concurrent.Semaphore(1);

    /** A session not yet connected to a context: {@link #connect} before the first run. */
    public KsefSession(Duration refreshMargin, Clock clock) {
        this.certificateLogins = new CertificateLoginRequests(clock);
        this.refreshMargin = refreshMargin;
        this.clock = clock;
    }

    public KsefSession(KsefContext context, Duration refreshMargin, Clock clock) {
        this(refreshMargin, clock);
        connect(context);
    }

    /**
     * Connects the session to its context (from the bundle's settings, or from a Kamelet's parameters). The same context
     * again is a no-op; another one is refused: one bundle syncs one KSeF context.
     */
    public synchronized void connect(KsefContext next) {
        if (context != null && !(context.nip().equals(next.nip()) && context.baseUrl().equals(next.baseUrl()))) {
            throw new dev.ksef.sync.KsefConfigurationException("this bundle already syncs NIP " + context.nip() + " at " + context.baseUrl()
                    + "; one bundle syncs one KSeF context, so NIP " + next.nip() + " at " + next.baseUrl() + " needs a bundle of its own");
        }
        if (context == null) {
            context = next;
        }
    }

    public boolean connected() {
        return context != null;
    }

    /** The context: fails with a clear message when nothing connected the session. */
    public KsefContext context() {
        KsefContext c = context;
        if (c == null) {
            throw new dev.ksef.sync.KsefConfigurationException("no KSeF context: set ksef.nip with a credential (ksef.auth.certificate, "
                    + "or KSEF_TOKEN / ksef.token-file), or use the ksef-invoice-source Kamelet with its nip and credential parameters");
        }
        return c;
    }

    public String baseUrl() {
        return context().baseUrl();
    }

    public dev.ksef.sync.crypto.KeySeal keySeal() {
        return context().keySeal();
    }

    /** {@code token} or {@code certificate}: which login the route performs. */
    public String loginMethod() {
        return context().credential().method();
    }

    public synchronized Action action() {
        OffsetDateTime now = OffsetDateTime.now(clock);
        if (accessToken != null && accessToken.validUntil().minus(refreshMargin).isAfter(now)) {
            return Action.NONE;
        }
        if (refreshToken != null && refreshToken.validUntil().minus(refreshMargin).isAfter(now)) {
            return Action.REFRESH;
        }
        return Action.LOGIN;
    }

    /** Before the route decides how to renew the tokens: waits while another run of this session renews them. */
    public void enterRenewal() throws InterruptedException {
        renewal.acquire();
    }

    public void leaveRenewal() {
        renewal.release();
    }

    /** Forget the access token (after a 401): the next call refreshes it, or logs in again. */
    public synchronized void accessTokenRejected() {
        accessToken = null;
    }

    /** Forget everything (after a failed refresh): the next call logs in again. */
    public synchronized void reset() {
        accessToken = null;
        refreshToken = null;
    }

    public synchronized void certificates(String json) throws IOException {
        certificates = List.of(KsefJson.mapper().readValue(json, PublicKeyCertificate[].class));
    }

    public synchronized PublicKeyCertificates.Selected certificate(String usage) {
        return PublicKeyCertificates.select(certificates, usage, OffsetDateTime.now(clock));
    }

    /** KSeF could not use a key wrapped with them (export status 415): fetch the certificates again before the next export. */
    public synchronized void forgetCertificates() {
        certificates = List.of();
    }

    public synchronized boolean hasCertificates() {
        return !certificates.isEmpty();
    }

    /** Body of {@code POST /auth/ksef-token} for the challenge just received. */
    public synchronized String tokenLoginRequest(String challengeJson) throws IOException {
        var challenge = KsefJson.mapper().readValue(challengeJson, AuthenticationChallengeResponse.class);
        loginStartedNanos = System.nanoTime();
        if (!(context().credential() instanceof LoginCredential.Token token)) {
            throw new IllegalStateException("this session logs in with a certificate");
        }
        return KsefJson.mapper().writeValueAsString(TokenAuthRequests.ksefToken(challenge, context().nip(), token.ksefToken(),
                certificate(PublicKeyCertificates.KSEF_TOKEN_ENCRYPTION)));
    }

    /** Body of {@code POST /auth/xades-signature} for the challenge just received: the signed AuthTokenRequest bytes. */
    public byte[] certificateLoginRequest(String challengeJson) throws IOException {
        var challenge = KsefJson.mapper().readValue(challengeJson, AuthenticationChallengeResponse.class);
        loginStartedNanos = System.nanoTime();
        if (!(context().credential() instanceof LoginCredential.Certificate certificate)) {
            throw new IllegalStateException("this session logs in with a KSeF token");
        }
        return certificateLogins.signedRequest(challenge.challenge(), context().nip(), certificate);
    }

    /** The query of {@code POST /auth/xades-signature}: {@code verifyCertificateChain=...} when configured, else none. */
    public String certificateLoginQuery() {
        return context().credential() instanceof LoginCredential.Certificate c && c.verifyCertificateChain() != null
                ? "verifyCertificateChain=" + c.verifyCertificateChain() : null;
    }

    /** KSeF answered the signed login with 400: name its code and description (never the document). */
    public void certificateLoginRefused(String responseBody) {
        String reason = responseBody;
        try {
            var exception = KsefJson.mapper().readTree(responseBody).at("/exception/exceptionDetailList/0");
            if (!exception.isMissingNode()) {
                reason = exception.path("exceptionCode").asText() + " " + exception.path("exceptionDescription").asText()
                        + " " + exception.path("details").toString();
            }
        } catch (IOException | RuntimeException e) {
            // not KSeF's JSON: report it as it came, cut
        }
        throw new KsefAuthenticationException("KSeF refused the certificate login (" + ((LoginCredential.Certificate) context().credential()).signing()
                + "): " + (reason == null ? "" : reason.length() > 300 ? reason.substring(0, 300) : reason).replace('\n', ' '));
    }

    public synchronized void authenticationStarted(String initJson) throws IOException {
        var init = KsefJson.mapper().readValue(initJson, AuthenticationInitResponse.class);
        authenticationReference = init.referenceNumber();
        authenticationToken = init.authenticationToken();
    }

    public synchronized String authenticationReference() {
        return authenticationReference;
    }

    /** The status code of the login; 100 means poll again, anything else but 200 ends the login with an error. */
    public int authenticationStatus(String statusJson) throws IOException {
        var status = KsefJson.mapper().readValue(statusJson, AuthenticationOperationStatusResponse.class).status();
        if (status.code() != 100 && status.code() != 200) {
            throw new KsefAuthenticationException("KSeF refused the " + loginMethod() + " login: status " + status.code() + " " + status.description()
                    + (status.details() == null ? "" : " " + status.details()));
        }
        return status.code();
    }

    public synchronized void tokensRedeemed(String json) throws IOException {
        var tokens = KsefJson.mapper().readValue(json, AuthenticationTokensResponse.class);
        accessToken = tokens.accessToken();
        refreshToken = tokens.refreshToken();
        authenticationToken = null;
        LOG.info("Logged in to KSeF context {} with {} in {} ms", context().nip(), context().credential() instanceof LoginCredential.Certificate c
                ? "certificate " + c.signing().keyDescription() + " (" + c.subjectIdentifierType() + ")" : "KSeF token",
                (System.nanoTime() - loginStartedNanos) / 1_000_000);
    }

    public synchronized void tokenRefreshed(String json) throws IOException {
        accessToken = KsefJson.mapper().readValue(json, AuthenticationTokenRefreshResponse.class).accessToken();
    }

    public synchronized String authenticationBearer() {
        return "Bearer " + authenticationToken.token();
    }

    public synchronized String refreshBearer() {
        return "Bearer " + refreshToken.token();
    }

    public synchronized String accessBearer() {
        if (accessToken == null) {
            throw new KsefAuthenticationException("no KSeF access token");
        }
        return "Bearer " + accessToken.token();
    }

    @Override
    public String toString() {
        return "KsefSession[" + context + "]";
    }
}
