package dev.ksef.sync.auth;

import dev.ksef.sync.KsefConfigurationException;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.camel.Exchange;

/**
 * The KSeF sessions of this node, one per context NIP (a tenant, the configured {@code ksef.nip}, or a Kamelet's
 * context), each with its own tokens. A run names its context in the exchange property {@code ksefContextNip}; the
 * routes call the session of that context through the methods here (bean {@code ksefSessions}), each taking the
 * exchange; a run resolves its session once, at its start. A context whose credential changed (a tenant's token rotated)
 * gets a fresh session at its next run.
 */
public final class KsefSessions {

    public static final String CONTEXT_NIP = "ksefContextNip";
    public static final String BASE_URL = "ksefBaseUrl";
    /** The session a run resolved at its start, used by all its calls (its context is looked up once per run). */
    static final String SESSION = "ksefSession";

    /** Where a context's login comes from: the tenant table, the bundle's settings, a Kamelet's parameters. */
    public interface ContextSource {
        /** The context of {@code nip} as configured now (the same object while nothing changed), or null when unknown. */
        KsefContext context(String nip);
    }

    private final Map<String, KsefSession> sessions = new ConcurrentHashMap<>();
    private final Map<String, KsefContext> connected = new ConcurrentHashMap<>();
    private final ContextSource source;
    private final Duration refreshMargin;
    private final Clock clock;
    private volatile String defaultNip = "";

    public KsefSessions(ContextSource source, Duration refreshMargin, Clock clock) {
        this.source = source;
        this.refreshMargin = refreshMargin;
        this.clock = clock;
    }

    /**
     * A context given by configuration (ksef.nip with its credential, or a Kamelet's parameters): the first one is the
     * context of runs that name none. The same NIP again with another API is refused.
     */
    public synchronized void connect(KsefContext context) {
        KsefContext known = connected.get(context.nip());
        if (known != null && !known.baseUrl().equals(context.baseUrl())) {
            throw new KsefConfigurationException("NIP " + context.nip() + " is already synced at " + known.baseUrl()
                    + "; the same context at " + context.baseUrl() + " needs a bundle of its own");
        }
        if (known == null) {
            connected.put(context.nip(), context);
        }
        if (defaultNip.isEmpty()) {
            defaultNip = context.nip();
        }
    }

    /** The NIPs connected by configuration (ksef.nip, Kamelets), in the order they were. */
    public java.util.List<String> connectedNips() {
        return java.util.List.copyOf(connected.keySet());
    }

    /** The API a configured context is synced at, or null when the NIP was not connected. */
    public String connectedBaseUrl(String nip) {
        KsefContext context = connected.get(nip);
        return context == null ? null : context.baseUrl();
    }

    public boolean connected(String nip) {
        return connected.containsKey(nip);
    }

    /** The NIP of runs that name no context: the configured one, or empty. */
    public String defaultNip() {
        return defaultNip;
    }

    /**
     * At the start of a run: its context NIP resolved ({@code ksefContextNip}, else the configured one) and stored back,
     * with the API base URL in {@code ksefBaseUrl}; fails with one line when the context has no credential.
     */
    public KsefSession begin(Exchange exchange) {
        String nip = exchange.getProperty(CONTEXT_NIP, "", String.class).strip();
        if (nip.isEmpty()) {
            nip = defaultNip;
        }
        KsefSession session = of(nip);
        exchange.setProperty(SESSION, session);
        exchange.setProperty(CONTEXT_NIP, session.context().nip());
        exchange.setProperty(BASE_URL, session.baseUrl());
        return session;
    }

    /** The session of {@code nip}, renewed when its context changed since it was created. */
    public KsefSession of(String nip) {
        if (nip == null || nip.isBlank()) {
            throw new KsefConfigurationException("no KSeF context: set ksef.nip with a credential (ksef.auth.certificate, or KSEF_TOKEN / "
                    + "ksef.token-file), add tenants (java -jar ksef-camel-sync.jar tenant add ...), or use the ksef-invoice-source Kamelet");
        }
        KsefContext context = connected.get(nip);
        if (context == null) {
            context = source.context(nip);
        }
        if (context == null) {
            throw new KsefConfigurationException("NIP " + nip + " is neither a tenant nor the configured ksef.nip: no credential to log in with");
        }
        KsefContext current = context;
        return sessions.compute(nip, (n, s) -> s != null && s.context() == current ? s : new KsefSession(current, refreshMargin, clock));
    }

    /** The session of the exchange's context: the one {@link #begin} resolved for the run, else looked up by NIP. */
    public KsefSession of(Exchange exchange) {
        KsefSession session = exchange.getProperty(SESSION, KsefSession.class);
        return session != null ? session : of(exchange.getProperty(CONTEXT_NIP, defaultNip, String.class));
    }

    /** Forgets the session of {@code nip} (tenant removed or its credential changed). */
    public void forget(String nip) {
        sessions.remove(nip);
    }

    // ------------------------------------------------------------------ the session route's calls, per exchange

    public String action(Exchange exchange) {
        return of(exchange).action().name();
    }

    public void enterRenewal(Exchange exchange) throws InterruptedException {
        of(exchange).enterRenewal();
    }

    public void leaveRenewal(Exchange exchange) {
        of(exchange).leaveRenewal();
    }

    public void reset(Exchange exchange) {
        of(exchange).reset();
    }

    public boolean hasCertificates(Exchange exchange) {
        return of(exchange).hasCertificates();
    }

    public void certificates(Exchange exchange, String json) throws IOException {
        of(exchange).certificates(json);
    }

    public String loginMethod(Exchange exchange) {
        return of(exchange).loginMethod();
    }

    public String tokenLoginRequest(Exchange exchange, String challengeJson) throws IOException {
        return of(exchange).tokenLoginRequest(challengeJson);
    }

    public byte[] certificateLoginRequest(Exchange exchange, String challengeJson) throws IOException {
        return of(exchange).certificateLoginRequest(challengeJson);
    }

    public String certificateLoginQuery(Exchange exchange) {
        return of(exchange).certificateLoginQuery();
    }

    public void certificateLoginRefused(Exchange exchange, String responseBody) {
        of(exchange).certificateLoginRefused(responseBody);
    }

    public void authenticationStarted(Exchange exchange, String json) throws IOException {
        of(exchange).authenticationStarted(json);
    }

    public String authenticationReference(Exchange exchange) {
        return of(exchange).authenticationReference();
    }

    public int authenticationStatus(Exchange exchange, String json) throws IOException {
        return of(exchange).authenticationStatus(json);
    }

    public void tokensRedeemed(Exchange exchange, String json) throws IOException {
        of(exchange).tokensRedeemed(json);
    }

    public void tokenRefreshed(Exchange exchange, String json) throws IOException {
        of(exchange).tokenRefreshed(json);
    }

    public String authenticationBearer(Exchange exchange) {
        return of(exchange).authenticationBearer();
    }

    public String refreshBearer(Exchange exchange) {
        return of(exchange).refreshBearer();
    }

    public String accessBearer(Exchange exchange) {
        return of(exchange).accessBearer();
    }
}
