package dev.ksef.sync.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.ksef.sync.api.AuthenticationChallengeResponse;
import dev.ksef.sync.api.AuthenticationInitResponse;
import dev.ksef.sync.api.AuthenticationMethodInfo;
import dev.ksef.sync.api.AuthenticationOperationStatusResponse;
import dev.ksef.sync.api.AuthenticationTokenRefreshResponse;
import dev.ksef.sync.api.AuthenticationTokensResponse;
import dev.ksef.sync.api.ExportInvoicesResponse;
import dev.ksef.sync.api.InvoiceExportRequest;
import dev.ksef.sync.api.InvoiceExportStatusResponse;
import dev.ksef.sync.api.InvoicePackage;
import dev.ksef.sync.api.InvoicePackagePart;
import dev.ksef.sync.api.InitTokenAuthenticationRequest;
import dev.ksef.sync.api.InvoiceQueryFilters;
import dev.ksef.sync.api.KsefJson;
import dev.ksef.sync.api.StatusInfo;
import dev.ksef.sync.api.TokenInfo;
import dev.ksef.sync.auth.xades.XadesVerificationException;
import dev.ksef.sync.crypto.KsefNumber;
import dev.ksef.sync.crypto.RsaOaep;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Deque;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * An in-process KSeF 2.0 stand-in for the invoice-export flow: KSeF-token authentication, certificate login with a
 * XAdES-signed {@code AuthTokenRequest} (KSeF's document, signature, challenge and subject checks and error codes, see
 * {@link XadesLogin}; certificate, chain, block and permission outcomes, see {@link CertificateLoginStatus}), public-key
 * certificates, asynchronous exports with encrypted multi-part packages and pre-signed part links, single-invoice
 * download, KSeF's rate limits and error bodies, and fault injection for tests. Base URL: {@link #baseUrl()} (ends in
 * {@code /v2}).
 */
public final class KsefSimulator implements AutoCloseable {

    private static final Pattern AUTH_STATUS = Pattern.compile("/v2/auth/([0-9A-Z-]{36})");
    private static final Pattern EXPORT_STATUS = Pattern.compile("/v2/invoices/exports/([^/]+)");
    private static final Pattern INVOICE = Pattern.compile("/v2/invoices/ksef/([^/]+)");
    private static final Pattern PART = Pattern.compile("/storage/([^/]+)/([^/?]+)");
    private static final Pattern TOKEN_CONTEXT = Pattern.compile("\\|nip-(\\d{10})\\|");
    private static final ZoneId WARSAW = ZoneId.of("Europe/Warsaw");


    private final SimulatorConfig config;
    private final SimClock clock = new SimClock();
    private final SimulatorKeys keys = new SimulatorKeys();
    private final Map<String, SimContext> contexts = new ConcurrentHashMap<>();
    private final List<String> served = new CopyOnWriteArrayList<>();
    private final OffsetDateTime startedAt = clock.now();
    private final RateLimiter rateLimiter;
    private final PackageBuilder packageBuilder;
    private final SecureRandom random = new SecureRandom();
    private final byte[] urlSigningKey = new byte[32];
    private final Path workDir;
    private final HttpServer server;
    private final ExecutorService builder = Executors.newSingleThreadExecutor(r -> daemon(r, "ksef-sim-package"));

    private final Challenges challenges = new Challenges();
    private final Permissions permissions = new Permissions(contexts::containsKey);
    private final XadesLogin xadesLogin = new XadesLogin(challenges, clock::now);
    private final CertificateLoginStatus certificateLoginStatus;
    private final Map<String, AuthOperation> authOperations = new ConcurrentHashMap<>();
    private final Map<String, AuthOperation> authByToken = new ConcurrentHashMap<>();
    private final Map<String, Grant> accessTokens = new ConcurrentHashMap<>();
    private final Map<String, Grant> refreshTokens = new ConcurrentHashMap<>();
    private final Set<String> secrets = ConcurrentHashMap.newKeySet();
    private final Map<String, ExportJob> exports = new ConcurrentHashMap<>();
    private final Map<Endpoint, Deque<Fault>> faults = new EnumMap<>(Endpoint.class);
    private final java.util.Queue<Call> calls = new java.util.concurrent.ConcurrentLinkedQueue<>();
    /** the context a call without a bearer token acts in (a login's body, a part's export), while it is answered */
    private final Map<HttpExchange, String> actingIn = new ConcurrentHashMap<>();
    private final Set<String> omitFromExports = ConcurrentHashMap.newKeySet();
    private final Set<String> omittedFromExports = ConcurrentHashMap.newKeySet();
    private volatile OffsetDateTime hwm = OffsetDateTime.MIN;

    /**
     * A login in progress: the context its tokens will act in, how it ends ({@code outcome}, decided on the first poll
     * that may see it and kept in {@code settled}), and the method {@code GET /auth/{ref}} names.
     */
    private record AuthOperation(String reference, String nip, String authenticationToken, OffsetDateTime validUntil, OffsetDateTime startDate,
                                 String method, AuthenticationMethodInfo methodInfo, Supplier<StatusInfo> outcome,
                                 StatusInfo[] settled, int[] polls, boolean[] redeemed) {
        synchronized StatusInfo finalStatus() {
            if (settled[0] == null) {
                settled[0] = outcome.get();
            }
            return settled[0];
        }
    }

    /** Tokens of one login ({@code session}: its reference number) acting in the context {@code nip}. */
    private record Grant(String nip, String session, OffsetDateTime validUntil, boolean[] revoked) {
    }

    /** A response: a body in memory, or (for parts) a file streamed from disk. */
    private record Answer(int status, String contentType, byte[] body, Map<String, String> headers, Path file) {
        Answer(int status, String contentType, byte[] body, Map<String, String> headers) {
            this(status, contentType, body, headers, null);
        }
    }

    public KsefSimulator(SimulatorConfig config) {
        this.config = config;
        this.rateLimiter = new RateLimiter(config.rateLimitTimeScale, config.blockPenaltySeconds);
        this.packageBuilder = new PackageBuilder(config.partSize, config.maxInvoicesPerPackage, config.maxPackageBytes);
        this.certificateLoginStatus = new CertificateLoginStatus(config.trustAnchors, permissions);
        random.nextBytes(urlSigningKey);
        config.contexts.forEach(this::addContext);
        try {
            this.workDir = Files.createTempDirectory("ksef-simulator");
            this.server = HttpServer.create(new InetSocketAddress(config.host, config.port), 64);
        } catch (IOException e) {
            throw new IllegalStateException("cannot start the KSeF simulator", e);
        }
        server.setExecutor(Executors.newFixedThreadPool(16, r -> daemon(r, "ksef-sim-http")));
        server.createContext("/", this::handle);
    }

    public KsefSimulator start() {
        server.start();
        return this;
    }

    /** The API base, like {@code https://api-test.ksef.mf.gov.pl/v2}. */
    public String baseUrl() {
        return "http://" + config.host + ":" + server.getAddress().getPort() + "/v2";
    }

    /** A KSeF token valid for the first context ({@link #nip()}). */
    public String ksefToken() {
        return ksefToken(nip());
    }

    /** The KSeF token of a served context: it logs in to that context only (another context: status 450). */
    public String ksefToken(String nip) {
        return served(nip).ksefToken;
    }

    /** The first (or only) context's NIP. */
    public String nip() {
        return served.get(0);
    }

    /** Every served context, in the order configured or added. */
    public List<String> nips() {
        return List.copyOf(served);
    }

    /** The first context's invoices. */
    public InvoiceCorpus corpus() {
        return corpus(nip());
    }

    /** A served context's invoices (made, with its generated invoices, on first use). */
    public InvoiceCorpus corpus(String nip) {
        return served(nip).corpus();
    }

    /**
     * Serves one more context (a no-op for one already served) and returns its KSeF token. Its invoices are generated
     * on first use from the seed and the NIP ({@link SimulatorConfig#invoicesPerContext}).
     */
    public synchronized String addContext(String nip) {
        SimulatorConfig.validNip(nip);
        SimContext context = contexts.computeIfAbsent(nip, this::newContext);
        if (!served.contains(nip)) {
            served.add(nip);
        }
        return context.ksefToken;
    }

    /**
     * The ground truth for one (context, subject type): every invoice KSeF holds for the context under that subject
     * type, ascending by permanent-storage date (also those not yet below the HWM, and those omitted from exports).
     */
    public List<SimInvoice> invoices(String nip, String subjectType) {
        return corpus(nip).select(subjectType, OffsetDateTime.MIN, OffsetDateTime.MAX);
    }

    /**
     * Adds one invoice issued by {@code sellerNip} to {@code buyerNip}, both served contexts: the same KSeF number and
     * document in the seller's Subject1 and the buyer's Subject2. Stored at {@code storedAt} (or just after the last
     * invoice of either context).
     */
    public SimInvoice addInvoiceBetween(String sellerNip, String buyerNip, OffsetDateTime storedAt) {
        return InvoiceCorpus.between(corpus(sellerNip), corpus(buyerNip), storedAt);
    }

    private SimContext served(String nip) {
        SimContext context = contexts.get(nip);
        if (context == null) {
            throw new IllegalArgumentException("the simulator does not serve the context " + nip);
        }
        return context;
    }

    /** The context a login or an access token acts in; one the simulator does not serve yet is made on first use. */
    private SimContext context(String nip) {
        return contexts.computeIfAbsent(nip, this::newContext);
    }

    private SimContext newContext(String nip) {
        String token = referenceNumber("EC") + "|nip-" + nip + "|" + HexFormat.of().formatHex(randomBytes(32));
        // the first context keeps the seed itself, so a one-context simulator generates what it always did
        long seed = nip.equals(config.contexts.get(0)) ? config.seed : config.seed ^ (Long.parseLong(nip) * 0x9E3779B97F4A7C15L);
        int count = config.invoicesFor(nip);
        return new SimContext(nip, token, seed, corpus -> {
            if (count > 0) {
                corpus.generate(count, startedAt.minus(config.invoiceSpan), startedAt.minusMinutes(5));
            }
        });
    }

    public SimClock clock() {
        return clock;
    }

    /**
     * Every secret a client of this simulator has held: the KSeF token, each authentication, access and refresh token
     * issued, and each export's AES key (base64 and hex), for tests that prove none of them is logged or stored.
     */
    public Set<String> secretsIssued() {
        Set<String> all = new java.util.TreeSet<>(secrets);
        contexts.values().forEach(c -> all.add(c.ksefToken));
        return all;
    }

    /** Every request received so far, oldest first. */
    public List<Call> calls() {
        return List.copyOf(calls);
    }

    public List<Call> calls(Endpoint endpoint) {
        return calls.stream().filter(c -> c.endpoint() == endpoint).toList();
    }

    /** Plays {@code fault} on the next {@code times} requests to {@code endpoint}. */
    public void inject(Endpoint endpoint, Fault fault, int times) {
        synchronized (faults) {
            Deque<Fault> queue = faults.computeIfAbsent(endpoint, e -> new ArrayDeque<>());
            for (int i = 0; i < times; i++) {
                queue.addLast(fault);
            }
        }
    }

    /**
     * Registers {@code challenge} as handed out now, so a document signed over it (a fixed sample) can be posted to
     * {@code /auth/xades-signature}; set {@link #clock()} first to the time the sample was signed.
     */
    public void issueChallenge(String challenge) {
        challenges.issue(challenge, clock.now());
    }

    /** Blocks a context as after a suspected security incident: certificate logins to it end with status 480. */
    public void blockContext(String nip) {
        permissions.block(nip);
    }

    /**
     * Grants {@code subjectIdentifier} (a NIP, a PESEL, or a certificate's SHA-256 fingerprint in hex) invoice reading
     * in the context {@code contextNip}, so its certificate logins there end with status 200.
     */
    public void grantInvoiceRead(String subjectIdentifier, String contextNip) {
        permissions.grantInvoiceRead(subjectIdentifier, contextNip);
    }

    /** Grants {@code subjectIdentifier} (an office's NIP, ...) invoice reading in every served context, also those added later. */
    public void grantInvoiceReadEverywhere(String subjectIdentifier) {
        permissions.grantInvoiceReadEverywhere(subjectIdentifier);
    }

    /** Every export accepted so far, in every context, in the order accepted. */
    public List<ExportRecord> exports() {
        return exports.values().stream().map(ExportJob::record).sorted(java.util.Comparator.comparing(ExportRecord::acceptedAt)).toList();
    }

    /** The exports of one context, in the order accepted. */
    public List<ExportRecord> exports(String nip) {
        SimContext context = contexts.get(nip);
        return context == null ? List.of() : context.exports().stream().map(ExportJob::record).toList();
    }

    /** Pairs of exports of one (context, subject type) that were in use at once ({@link ExportRecord#overlaps}); empty when none. */
    public List<List<ExportRecord>> overlappingExports() {
        List<List<ExportRecord>> pairs = new ArrayList<>();
        for (SimContext context : contexts.values()) {
            List<ExportRecord> records = context.exports().stream().map(ExportJob::record).toList();
            for (int i = 0; i < records.size(); i++) {
                for (int j = i + 1; j < records.size(); j++) {
                    if (records.get(i).overlaps(records.get(j))) {
                        pairs.add(List.of(records.get(i), records.get(j)));
                    }
                }
            }
        }
        return pairs;
    }

    /**
     * From now on every export leaves out the invoice with this KSeF number (its package and {@code _metadata.json} do
     * not hold it), while the metadata query and {@code GET /invoices/ksef/{n}} still list and serve it: a gap the
     * client's reconciliation has to find. {@link Fault#omitInvoice} leaves out the n-th invoice of one export instead.
     */
    public void omitFromExports(String ksefNumber) {
        omitFromExports.add(ksefNumber);
    }

    /** The KSeF numbers exports have left out so far ({@link #omitFromExports}, {@link Fault#omitInvoice}). */
    public Set<String> omittedFromExports() {
        return Set.copyOf(omittedFromExports);
    }

    /** Revokes every session: refresh tokens stop working (400 21301), access tokens live until they expire. */
    public void revokeSessions() {
        refreshTokens.values().forEach(g -> g.revoked()[0] = true);
    }

    /** The current High-Water Mark: now minus the configured lag, never moving backwards. */
    public synchronized OffsetDateTime currentHwm() {
        OffsetDateTime candidate = clock.now().minus(config.hwmLag);
        if (candidate.isAfter(hwm)) {
            hwm = candidate;
        }
        return hwm;
    }

    @Override
    public void close() {
        server.stop(0);
        builder.shutdownNow();
        ((ExecutorService) server.getExecutor()).shutdownNow();
        try (Stream<Path> files = Files.walk(workDir)) {
            files.sorted((a, b) -> b.getNameCount() - a.getNameCount()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // temp files only
        }
    }

    // ---------------------------------------------------------------- dispatch

    private void handle(HttpExchange exchange) throws IOException {
        String method = exchange.getRequestMethod();
        String path = exchange.getRequestURI().getRawPath();
        Endpoint endpoint = endpointOf(method, path);
        java.time.Instant arrived = java.time.Instant.now();
        try (exchange) {
            Answer answer;
            try {
                answer = answer(exchange, endpoint, path);
            } catch (RuntimeException e) {
                answer = serverError(exchange, 500);
            }
            // recorded before a byte of the answer leaves: a client that has its answer finds its call in calls()
            record(exchange, arrived, endpoint, method, path, answer);
            if (answer != null) {
                send(exchange, answer);
            } // no answer: closing the exchange without a response drops the connection
        }
    }

    /** What the simulator answers to one request, or null to drop the connection. */
    private Answer answer(HttpExchange exchange, Endpoint endpoint, String path) throws IOException {
        if (endpoint == null) {
            return new Answer(404, "application/json", "{}".getBytes(StandardCharsets.UTF_8), Map.of());
        }
        Fault fault = nextFault(endpoint);
        if (fault != null && fault.kind() == Fault.Kind.CONNECTION_RESET) {
            return null;
        }
        if (fault != null && fault.kind() == Fault.Kind.SLOW) {
            sleep(fault.value());
            fault = null;
        }
        Answer answer = fault != null ? faultAnswer(exchange, endpoint, fault) : null;
        if (answer == null) {
            answer = limited(exchange, endpoint);
        }
        return answer != null ? answer : route(exchange, endpoint, path, fault);
    }

    private void record(HttpExchange exchange, java.time.Instant arrived, Endpoint endpoint, String method, String path, Answer answer)
            throws IOException {
        int status = answer == null ? -1 : answer.status();
        String retryAfter = answer == null ? null : answer.headers().get("Retry-After");
        long bytes = answer == null ? 0 : answer.file() != null ? Files.size(answer.file()) : answer.body().length;
        String context = actingIn.remove(exchange);
        calls.add(new Call(arrived, endpoint, method, path, status, exchange.getRequestHeaders().containsKey("Authorization"),
                status == 429 && retryAfter != null ? Long.parseLong(retryAfter) : 0, bytes,
                context != null ? context : contextOf(bearer(exchange))));
    }

    private static Endpoint endpointOf(String method, String path) {
        boolean post = method.equals("POST");
        boolean get = method.equals("GET");
        if (post && path.equals("/v2/auth/challenge")) return Endpoint.CHALLENGE;
        if (post && path.equals("/v2/auth/ksef-token")) return Endpoint.KSEF_TOKEN;
        if (post && path.equals("/v2/auth/xades-signature")) return Endpoint.XADES_SIGNATURE;
        if (post && path.equals("/v2/auth/token/redeem")) return Endpoint.REDEEM;
        if (post && path.equals("/v2/auth/token/refresh")) return Endpoint.REFRESH;
        if (get && path.equals("/v2/security/public-key-certificates")) return Endpoint.PUBLIC_KEYS;
        if (post && path.equals("/v2/invoices/exports")) return Endpoint.EXPORT_START;
        if (get && EXPORT_STATUS.matcher(path).matches()) return Endpoint.EXPORT_STATUS;
        if (get && INVOICE.matcher(path).matches()) return Endpoint.INVOICE_DOWNLOAD;
        if (post && path.equals("/v2/invoices/query/metadata")) return Endpoint.INVOICE_METADATA;
        if (get && AUTH_STATUS.matcher(path).matches()) return Endpoint.AUTH_STATUS;
        if (get && PART.matcher(path).matches()) return Endpoint.PART_DOWNLOAD;
        return null;
    }

    private Answer route(HttpExchange exchange, Endpoint endpoint, String path, Fault fault) throws IOException {
        return switch (endpoint) {
            case CHALLENGE -> challenge(exchange);
            case KSEF_TOKEN -> ksefTokenLogin(exchange);
            case XADES_SIGNATURE -> xadesSignatureLogin(exchange);
            case AUTH_STATUS -> authStatus(exchange, group(AUTH_STATUS, path));
            case REDEEM -> redeem(exchange);
            case REFRESH -> refresh(exchange);
            case PUBLIC_KEYS -> json(200, keys.published());
            case EXPORT_START -> startExport(exchange, fault);
            case EXPORT_STATUS -> exportStatus(exchange, group(EXPORT_STATUS, path));
            case INVOICE_DOWNLOAD -> invoice(exchange, group(INVOICE, path));
            case INVOICE_METADATA -> queryMetadata(exchange);
            case PART_DOWNLOAD -> part(exchange, fault);
        };
    }

    private Fault nextFault(Endpoint endpoint) {
        synchronized (faults) {
            Deque<Fault> queue = faults.get(endpoint);
            return queue == null ? null : queue.pollFirst();
        }
    }

    private Answer faultAnswer(HttpExchange exchange, Endpoint endpoint, Fault fault) {
        String path = exchange.getRequestURI().getRawPath();
        return switch (fault.kind()) {
            case HTTP_STATUS -> switch (fault.code()) {
                case 401 -> problemJson(401, ErrorBodies.unauthorized(path, "Token wygasł."));
                case 403 -> problemJson(403, ErrorBodies.forbidden(path));
                case 410 -> problemJson(410, ErrorBodies.gone(path, "Status operacji nie jest już dostępny."));
                default -> serverError(exchange, fault.code());
            };
            case TOO_MANY_REQUESTS -> tooManyRequests(exchange, fault.value());
            default -> null; // faults that shape the normal answer
        };
    }

    private Answer limited(HttpExchange exchange, Endpoint endpoint) {
        if (endpoint.limitGroup() == null) {
            return null;
        }
        // KSeF counts per (context, client IP) and per endpoint: every auth endpoint has its own x-rate-limits budget
        String ip = exchange.getRemoteAddress().getAddress().getHostAddress();
        String context = contextOf(bearer(exchange));
        long retryAfter = rateLimiter.acquire((context != null ? "nip-" + context : "anonymous") + "|" + ip + "|" + endpoint.name(),
                config.limits.getOrDefault(endpoint.limitGroup(), config.limits.get("other")));
        return retryAfter == 0 ? null : tooManyRequests(exchange, retryAfter);
    }

    /** The context (NIP) a bearer token acts in: access, refresh or authentication token; {@code null} if none. */
    private String contextOf(String bearer) {
        if (bearer == null) {
            return null;
        }
        Grant grant = accessTokens.get(bearer);
        if (grant == null) {
            grant = refreshTokens.get(bearer);
        }
        if (grant != null) {
            return grant.nip();
        }
        AuthOperation operation = authByToken.get(bearer);
        return operation == null ? null : operation.nip();
    }

    private Answer tooManyRequests(HttpExchange exchange, long retryAfter) {
        boolean problem = problem(exchange);
        Answer body = problem ? problemJson(429, ErrorBodies.tooManyRequests(true, exchange.getRequestURI().getRawPath(), retryAfter))
                : json(429, ErrorBodies.tooManyRequests(false, null, retryAfter));
        return new Answer(429, body.contentType(), body.body(), Map.of("Retry-After", Long.toString(retryAfter)));
    }

    // ---------------------------------------------------------------- authentication

    private Answer challenge(HttpExchange exchange) {
        OffsetDateTime now = clock.now();
        String challenge = referenceNumber("CR");
        challenges.issue(challenge, now);
        return json(200, new AuthenticationChallengeResponse(challenge, now, now.toInstant().toEpochMilli(),
                exchange.getRemoteAddress().getAddress().getHostAddress()));
    }

    private Answer ksefTokenLogin(HttpExchange exchange) throws IOException {
        InitTokenAuthenticationRequest request = read(exchange, InitTokenAuthenticationRequest.class);
        if (request == null || request.challenge() == null || request.contextIdentifier() == null || request.encryptedToken() == null) {
            return badRequest(exchange, 21405, "Błąd walidacji danych wejściowych.", "challenge, contextIdentifier and encryptedToken are required");
        }
        OffsetDateTime issuedAt = challenges.issuedAt(request.challenge());
        boolean usable = challenges.isUsable(request.challenge(), clock.now());
        if (!challenges.consume(request.challenge()) || !usable) {
            return badRequest(exchange, 21111, "Nieprawidłowe wyzwanie autoryzacyjne.", "unknown or expired challenge");
        }
        long timestampMs = issuedAt.toInstant().toEpochMilli();
        if (request.publicKeyId() != null && !keys.isKnownKeyId(request.publicKeyId())) {
            return badRequest(exchange, 21470, "Nieznany identyfikator klucza publicznego.", request.publicKeyId());
        }
        String contextNip = request.contextIdentifier().value();
        actingIn.put(exchange, contextNip);
        int finalCode = 450;
        try {
            String plain = new String(RsaOaep.decrypt(keys.tokenKey(), Base64.getDecoder().decode(request.encryptedToken())), StandardCharsets.UTF_8);
            int bar = plain.lastIndexOf('|');
            String token = bar > 0 ? plain.substring(0, bar) : "";
            // a KSeF token acts in the one context it was issued in: another context fails as a wrong token does (450)
            Matcher issuedIn = TOKEN_CONTEXT.matcher(token);
            SimContext owner = issuedIn.find() ? contexts.get(issuedIn.group(1)) : null;
            boolean tokenOk = owner != null && owner.ksefToken.equals(token) && plain.substring(bar + 1).equals(Long.toString(timestampMs));
            boolean contextOk = "Nip".equals(request.contextIdentifier().type()) && owner != null && owner.nip.equals(contextNip);
            if (tokenOk && contextOk) {
                finalCode = 200;
            }
        } catch (RuntimeException e) {
            finalCode = 450;
        }
        StatusInfo outcome = finalCode == 200 ? new StatusInfo(200, "Uwierzytelnianie zakończone sukcesem", null)
                : new StatusInfo(450, "Uwierzytelnianie zakończone niepowodzeniem z powodu błędnego tokenu", List.of("Nieprawidłowy token."));
        return startAuthOperation(contextNip, "Token", new AuthenticationMethodInfo("Token", "token.ksef", "Token KSeF"), () -> outcome);
    }

    /** {@code POST /auth/xades-signature}: the checks of {@link XadesLogin}, then a login whose end {@link CertificateLoginStatus} decides. */
    private Answer xadesSignatureLogin(HttpExchange exchange) throws IOException {
        byte[] body;
        try (InputStream in = exchange.getRequestBody()) {
            body = in.readNBytes(XadesLogin.MAX_BODY_BYTES + 1);
        }
        XadesLogin.Accepted login;
        try {
            login = xadesLogin.submit(exchange.getRequestHeaders().getFirst("Content-Type"), body);
        } catch (XadesLogin.UnsupportedMediaType e) {
            return new Answer(415, "application/json", new byte[0], Map.of());
        } catch (XadesVerificationException e) {
            return badRequest(exchange, e.code(), e.description(), e.details());
        }
        actingIn.put(exchange, login.context().value());
        boolean verifyChain = "true".equalsIgnoreCase(rawQuery(exchange.getRequestURI().getRawQuery()).get("verifyCertificateChain"));
        return startAuthOperation(login.context().value(), CertificateLoginStatus.method(login), CertificateLoginStatus.methodInfo(login),
                () -> certificateLoginStatus.of(login, clock.now(), verifyChain));
    }

    /** 202 {@code AuthenticationInitResponse} for a login acting in {@code contextNip} that ends as {@code outcome} says. */
    private Answer startAuthOperation(String contextNip, String method, AuthenticationMethodInfo methodInfo, Supplier<StatusInfo> outcome) {
        OffsetDateTime now = clock.now();
        String reference = referenceNumber("AU");
        String authToken = opaqueToken();
        OffsetDateTime validUntil = now.plus(config.authenticationTokenTtl);
        AuthOperation operation = new AuthOperation(reference, contextNip, authToken, validUntil, now, method, methodInfo, outcome,
                new StatusInfo[1], new int[1], new boolean[1]);
        authOperations.put(reference, operation);
        authByToken.put(authToken, operation);
        return json(202, new AuthenticationInitResponse(reference, new TokenInfo(authToken, validUntil)));
    }

    private Answer authStatus(HttpExchange exchange, String reference) {
        AuthOperation operation = authOperations.get(reference);
        String path = exchange.getRequestURI().getRawPath();
        if (operation == null || !operation.authenticationToken().equals(bearer(exchange)) || clock.now().isAfter(operation.validUntil())) {
            return operation == null && bearer(exchange) != null && authByToken.containsKey(bearer(exchange))
                    ? badRequest(exchange, 21304, "Brak operacji uwierzytelnienia.", reference)
                    : problemJson(401, ErrorBodies.unauthorized(path, "Brak lub nieprawidłowy token uwierzytelniający."));
        }
        StatusInfo status = operation.polls()[0]++ < config.authPollsBeforeReady
                ? new StatusInfo(100, "Uwierzytelnianie w toku", null)
                : operation.finalStatus();
        return json(200, new AuthenticationOperationStatusResponse(operation.startDate(), operation.method(),
                operation.methodInfo(), status, operation.redeemed()[0], null, null));
    }

    private Answer redeem(HttpExchange exchange) {
        String path = exchange.getRequestURI().getRawPath();
        AuthOperation operation = authByToken.get(String.valueOf(bearer(exchange)));
        if (operation == null || clock.now().isAfter(operation.validUntil())) {
            return problemJson(401, ErrorBodies.unauthorized(path, "Brak lub nieprawidłowy token uwierzytelniający."));
        }
        synchronized (operation) {
            if (operation.redeemed()[0] || operation.polls()[0] <= config.authPollsBeforeReady || operation.finalStatus().code() != 200) {
                return badRequest(exchange, 21301, "Brak autoryzacji.",
                        operation.redeemed()[0] ? "Tokeny zostały już pobrane." : "Status uwierzytelniania nie pozwala na pobranie tokenów.");
            }
            operation.redeemed()[0] = true;
        }
        OffsetDateTime now = clock.now();
        TokenInfo refresh = new TokenInfo(opaqueToken(), now.plus(config.refreshTokenTtl));
        refreshTokens.put(refresh.token(), new Grant(operation.nip(), operation.reference(), refresh.validUntil(), new boolean[1]));
        return json(200, new AuthenticationTokensResponse(issueAccessToken(operation.nip(), operation.reference()), refresh));
    }

    private Answer refresh(HttpExchange exchange) {
        String path = exchange.getRequestURI().getRawPath();
        Grant grant = refreshTokens.get(String.valueOf(bearer(exchange)));
        if (grant == null || clock.now().isAfter(grant.validUntil())) {
            return problemJson(401, ErrorBodies.unauthorized(path, "Brak lub nieprawidłowy token odświeżający."));
        }
        if (grant.revoked()[0]) {
            return badRequest(exchange, 21301, "Brak autoryzacji.", "Sesja została unieważniona.");
        }
        return json(200, new AuthenticationTokenRefreshResponse(issueAccessToken(grant.nip(), grant.session())));
    }

    private TokenInfo issueAccessToken(String nip, String session) {
        TokenInfo access = new TokenInfo(opaqueToken(), clock.now().plus(config.accessTokenTtl));
        accessTokens.put(access.token(), new Grant(nip, session, access.validUntil(), new boolean[1]));
        return access;
    }

    /** The context NIP of a valid access token, or {@code null} (answer 401). */
    private String authorizedNip(HttpExchange exchange) {
        Grant grant = accessGrant(exchange);
        return grant == null ? null : grant.nip();
    }

    /** The grant of a valid access token, or {@code null}. */
    private Grant accessGrant(HttpExchange exchange) {
        Grant grant = accessTokens.get(String.valueOf(bearer(exchange)));
        return grant == null || clock.now().isAfter(grant.validUntil()) ? null : grant;
    }

    // ---------------------------------------------------------------- exports

    private Answer startExport(HttpExchange exchange, Fault fault) throws IOException {
        String path = exchange.getRequestURI().getRawPath();
        Grant grant = accessGrant(exchange);
        String nip = grant == null ? null : grant.nip();
        if (nip == null) {
            return problemJson(401, ErrorBodies.unauthorized(path, "Brak lub nieważny token dostępowy."));
        }
        JsonNode tree = readTree(exchange);
        InvoiceExportRequest request = tree == null ? null : treeToValue(tree, InvoiceExportRequest.class);
        String invalid = validate(request);
        ExportFilter filter = null;
        if (invalid == null) {
            try {
                filter = ExportFilter.of(tree.path("filters"));
            } catch (IllegalArgumentException e) {
                invalid = e.getMessage();
            }
        }
        if (invalid != null) {
            return badRequest(exchange, 21405, "Błąd walidacji danych wejściowych.", invalid);
        }
        if (request.encryption().publicKeyId() != null && !keys.isKnownKeyId(request.encryption().publicKeyId())) {
            return badRequest(exchange, 21470, "Nieznany identyfikator klucza publicznego.", request.encryption().publicKeyId());
        }
        OffsetDateTime now = clock.now();
        SimContext context = context(nip);
        long running = context.count(j -> !retentionOver(j, now) && j.running(config.pollsBeforeReady));
        if (running >= config.maxRunningExports) {
            return badRequest(exchange, 21182, "Osiągnięto limit trwających eksportów.",
                    "W toku jest " + running + " eksportów; spróbuj ponownie później.");
        }
        var range = request.filters().dateRange();
        OffsetDateTime hwmNow = currentHwm();
        boolean permanentStorage = "PermanentStorage".equals(range.dateType());
        boolean restrict = permanentStorage && Boolean.TRUE.equals(range.restrictToPermanentStorageHwmDate());
        OffsetDateTime to = range.to() != null ? range.to() : now;
        OffsetDateTime hwmOfExport = hwmNow.isBefore(to) ? hwmNow : to;
        OffsetDateTime effectiveTo = restrict ? hwmOfExport : to;
        byte[] aesKey = null;
        try {
            aesKey = RsaOaep.decrypt(keys.symmetricKey(), Base64.getDecoder().decode(request.encryption().encryptedSymmetricKey()));
            secrets.add(Base64.getEncoder().encodeToString(aesKey));
            secrets.add(HexFormat.of().formatHex(aesKey));
        } catch (RuntimeException e) {
            // reported as status 415 by the status endpoint, as KSeF does
        }
        byte[] iv = Base64.getDecoder().decode(request.encryption().initializationVector());
        boolean keyOk = aesKey != null && aesKey.length == 32 && iv.length == 16;
        String reference = referenceNumber("EH");
        String subjectType = request.filters().subjectType();
        CompletableFuture<PackageBuilder.BuiltPackage> built = new CompletableFuture<>();
        boolean stuck = fault != null && fault.kind() == Fault.Kind.STUCK_EXPORT;
        Integer forced = fault != null && fault.kind() == Fault.Kind.EXPORT_RESULT ? fault.code() : null;
        Fault.Tamper tamper = fault != null && fault.kind() == Fault.Kind.TAMPERED_PACKAGE ? Fault.Tamper.values()[fault.code()] : null;
        ExportJob job = new ExportJob(reference, nip, subjectType, range.dateType(), now, range.from(), effectiveTo, hwmOfExport, restrict,
                keyOk, stuck, forced, built);
        job.sessions.add(grant.session());
        exports.put(reference, job);
        context.addExport(job);
        if (keyOk && !job.beyondHwm()) {
            List<SimInvoice> candidates = leaveOut(context.corpus().select(subjectType, range.dateType(), range.from(), effectiveTo)
                    .stream().filter(filter).toList(), fault);
            boolean onlyMetadata = Boolean.TRUE.equals(request.onlyMetadata());
            SecretKeySpec key = new SecretKeySpec(aesKey, "AES");
            builder.submit(() -> {
                try {
                    built.complete(candidates.isEmpty() ? new PackageBuilder.BuiltPackage(0, 0, List.of(), false, null)
                            : packageBuilder.build(reference, candidates, workDir.resolve(reference), key, iv, tamper, onlyMetadata,
                                    request.compressionType()));
                } catch (Throwable t) {
                    built.completeExceptionally(t);
                }
            });
        } else {
            built.complete(null);
        }
        return json(201, new ExportInvoicesResponse(reference));
    }

    /** The export's invoices without those {@link #omitFromExports} names and the one an {@code OMIT_INVOICE} fault picks. */
    private List<SimInvoice> leaveOut(List<SimInvoice> candidates, Fault fault) {
        List<SimInvoice> kept = new ArrayList<>(candidates.size());
        for (int i = 0; i < candidates.size(); i++) {
            SimInvoice invoice = candidates.get(i);
            boolean omit = omitFromExports.contains(invoice.ksefNumber()) || fault != null && fault.kind() == Fault.Kind.OMIT_INVOICE && fault.code() == i;
            if (omit) {
                omittedFromExports.add(invoice.ksefNumber());
            } else {
                kept.add(invoice);
            }
        }
        return kept;
    }

    private static String validate(InvoiceExportRequest request) {
        if (request == null || request.encryption() == null || request.filters() == null || request.filters().dateRange() == null) {
            return "encryption and filters.dateRange are required";
        }
        if (request.encryption().encryptedSymmetricKey() == null || request.encryption().initializationVector() == null) {
            return "encryption.encryptedSymmetricKey and encryption.initializationVector are required";
        }
        if (request.compressionType() != null && !List.of("Zip", "TarGz").contains(request.compressionType())) {
            return "compressionType must be Zip or TarGz";
        }
        return validate(request.filters(), "filters.");
    }

    /** What is wrong with the subject type and date range of a query or export ({@code prefix}: where they sit), else {@code null}. */
    private static String validate(InvoiceQueryFilters filters, String prefix) {
        if (filters == null || filters.dateRange() == null) {
            return prefix + "dateRange is required";
        }
        if (!InvoiceCorpus.SUBJECT_TYPES.contains(filters.subjectType())) {
            return prefix + "subjectType must be one of " + InvoiceCorpus.SUBJECT_TYPES;
        }
        var range = filters.dateRange();
        if (!List.of("Issue", "Invoicing", "PermanentStorage").contains(range.dateType()) || range.from() == null) {
            return prefix + "dateRange.dateType and from are required";
        }
        OffsetDateTime to = range.to() != null ? range.to() : OffsetDateTime.now(ZoneOffset.UTC);
        boolean fitsUtc = !range.from().atZoneSameInstant(ZoneOffset.UTC).plusMonths(3).isBefore(to.atZoneSameInstant(ZoneOffset.UTC));
        boolean fitsWarsaw = !range.from().atZoneSameInstant(WARSAW).plusMonths(3).isBefore(to.atZoneSameInstant(WARSAW));
        if (!fitsUtc && !fitsWarsaw) {
            return prefix + "dateRange spans more than 3 months";
        }
        return null;
    }

    private boolean retentionOver(ExportJob job, OffsetDateTime now) {
        return now.isAfter(job.createdAt.plus(config.statusRetention));
    }

    private Answer exportStatus(HttpExchange exchange, String reference) {
        String path = exchange.getRequestURI().getRawPath();
        Grant grant = accessGrant(exchange);
        String nip = grant == null ? null : grant.nip();
        if (nip == null) {
            return problemJson(401, ErrorBodies.unauthorized(path, "Brak lub nieważny token dostępowy."));
        }
        ExportJob job = exports.get(reference);
        if (job == null || !job.nip.equals(nip)) {
            return badRequest(exchange, 21175, "Nie znaleziono eksportu.", reference);
        }
        job.polled(grant.session());
        OffsetDateTime now = clock.now();
        if (retentionOver(job, now)) {
            return problemJson(410, ErrorBodies.gone(path, "Status eksportu " + reference + " nie jest już dostępny."));
        }
        if (job.stuck || job.polls.getAndIncrement() < config.pollsBeforeReady) {
            return json(200, new InvoiceExportStatusResponse(new StatusInfo(100, "Eksport faktur w toku", null), null, null, null));
        }
        if (job.forcedResult != null || !job.keyDecrypted || job.beyondHwm()) {
            int code = job.forcedResult != null ? job.forcedResult : !job.keyDecrypted ? 415 : 420;
            return json(200, new InvoiceExportStatusResponse(new StatusInfo(code, describe(code), null), now, null, null));
        }
        if (!job.built.isDone()) {
            return json(200, new InvoiceExportStatusResponse(new StatusInfo(100, "Eksport faktur w toku", null), null, null, null));
        }
        PackageBuilder.BuiltPackage built;
        try {
            built = job.built.join();
        } catch (RuntimeException e) {
            return json(200, new InvoiceExportStatusResponse(new StatusInfo(500, describe(500), null), now, null, null));
        }
        if (job.completedDate == null) {
            job.completedDate = now;
        }
        OffsetDateTime packageExpiry = job.completedDate.plus(config.packageRetention);
        if (now.isAfter(packageExpiry)) {
            return json(200, new InvoiceExportStatusResponse(new StatusInfo(210, describe(210), null), job.completedDate, packageExpiry, null));
        }
        // links carry whole seconds, rounded up: a link lives at least its configured time
        OffsetDateTime exact = now.plus(config.partUrlTtl);
        OffsetDateTime linkExpiry = exact.getNano() == 0 ? exact : exact.withNano(0).plusSeconds(1);
        List<InvoicePackagePart> parts = new ArrayList<>();
        for (PackageBuilder.PartFile part : built.parts()) {
            parts.add(new InvoicePackagePart(part.ordinalNumber(), part.partName(), "GET", partUrl(reference, part.partName(), linkExpiry),
                    part.partSize(), part.partHash(), part.encryptedPartSize(), part.encryptedPartHash(), linkExpiry));
        }
        var last = built.lastIncluded(); // set only when truncated; reported in the export's own date type
        InvoicePackage invoicePackage = new InvoicePackage(built.invoiceCount(), built.size(), parts, built.truncated(),
                last != null && "Issue".equals(job.dateType) ? last.issueDate() : null,
                last != null && "Invoicing".equals(job.dateType) ? last.invoicingDate() : null,
                last != null && job.permanentStorage() ? last.permanentStorageDate() : null,
                job.permanentStorage() ? job.hwm : null, null);
        return json(200, new InvoiceExportStatusResponse(new StatusInfo(200, describe(200), null), job.completedDate, packageExpiry, invoicePackage));
    }

    private static String describe(int code) {
        return switch (code) {
            case 200 -> "Eksport faktur zakończony sukcesem";
            case 210 -> "Eksport faktur wygasł i nie jest już dostępny do pobrania";
            case 415 -> "Błąd odszyfrowania dostarczonego klucza";
            case 420 -> "Zakres filtrowania wykracza poza dostępny zakres danych";
            case 550 -> "Operacja została anulowana przez system";
            default -> "Nieznany błąd (" + code + ")";
        };
    }

    // ---------------------------------------------------------------- downloads

    private String partUrl(String reference, String partName, OffsetDateTime expiry) {
        String se = DateTimeFormatter.ISO_INSTANT.format(expiry.toInstant());
        String base = "http://" + config.host + ":" + server.getAddress().getPort();
        return base + "/storage/" + reference + "/" + partName + "?sv=2025-05-05&se=" + URLEncoder.encode(se, StandardCharsets.UTF_8)
                + "&sr=b&sp=r&sig=" + URLEncoder.encode(sign(reference + "/" + partName + "|" + se), StandardCharsets.UTF_8);
    }

    private String sign(String text) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(urlSigningKey, "HmacSHA256"));
            // standard base64 with '/', '+' and '=' so the link carries percent-escapes that must reach us verbatim
            return Base64.getEncoder().encodeToString(mac.doFinal(text.getBytes(StandardCharsets.UTF_8)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private Answer part(HttpExchange exchange, Fault fault) throws IOException {
        Matcher m = PART.matcher(exchange.getRequestURI().getRawPath());
        m.matches();
        String reference = m.group(1);
        String partName = m.group(2);
        Map<String, String> query = rawQuery(exchange.getRequestURI().getRawQuery());
        String se = java.net.URLDecoder.decode(query.getOrDefault("se", ""), StandardCharsets.UTF_8);
        String expectedSig = URLEncoder.encode(sign(reference + "/" + partName + "|" + se), StandardCharsets.UTF_8);
        boolean signed = expectedSig.equals(query.get("sig"));
        boolean expired = !signed || clock.now().toInstant().isAfter(java.time.Instant.parse(se));
        ExportJob job = exports.get(reference);
        if (job != null) {
            actingIn.put(exchange, job.nip);
        }
        PackageBuilder.BuiltPackage built = job == null || !job.built.isDone() ? null : job.built.getNow(null);
        PackageBuilder.PartFile part = built == null ? null
                : built.parts().stream().filter(p -> p.partName().equals(partName)).findFirst().orElse(null);
        if (expired || part == null) {
            byte[] body = ("<?xml version=\"1.0\" encoding=\"utf-8\"?><Error><Code>AuthenticationFailed</Code><Message>Server failed to "
                    + "authenticate the request. Signature " + (signed ? "expired" : "did not match") + ".</Message></Error>").getBytes(StandardCharsets.UTF_8);
            return new Answer(403, "application/xml", body, Map.of());
        }
        if (fault != null && fault.kind() == Fault.Kind.HTML_PAGE) {
            byte[] html = "<html><head><title>Request unsuccessful</title></head><body>Request unsuccessful. Incapsula incident ID: 0-0</body></html>"
                    .getBytes(StandardCharsets.UTF_8);
            return new Answer(200, "text/html", html, Map.of());
        }
        job.partDownloaded();
        Map<String, String> headers = Map.of("x-ms-meta-hash", part.encryptedPartHash());
        if (fault != null && fault.kind() == Fault.Kind.WRONG_BYTES) {
            byte[] bytes = Files.readAllBytes(part.file());
            bytes[bytes.length / 2] ^= 0x5A;
            return new Answer(200, "application/octet-stream", bytes, headers);
        }
        return new Answer(200, "application/octet-stream", new byte[0], headers, part.file());
    }

    private Answer invoice(HttpExchange exchange, String ksefNumber) {
        String path = exchange.getRequestURI().getRawPath();
        String nip = authorizedNip(exchange);
        if (nip == null) {
            return problemJson(401, ErrorBodies.unauthorized(path, "Brak lub nieważny token dostępowy."));
        }
        if (!KsefNumber.isValid(ksefNumber)) {
            return badRequest(exchange, 21405, "Błąd walidacji danych wejściowych.", "Nieprawidłowy numer KSeF: " + ksefNumber);
        }
        SimInvoice invoice = context(nip).corpus().find(ksefNumber); // only a party to the invoice sees it
        if (invoice == null) {
            return badRequest(exchange, 21164, "Faktura o podanym identyfikatorze nie istnieje.",
                    "Faktura o numerze KSeF " + ksefNumber + " nie została znaleziona.");
        }
        if (invoice.permanentStorageDate().isAfter(clock.now())) {
            return badRequest(exchange, 21165, "Faktura o podanym numerze KSeF nie jest jeszcze dostępna.", "Faktura o numerze KSeF "
                    + ksefNumber + " została przetworzona, ale nie jest jeszcze dostępna do pobrania. Spróbuj ponownie później.");
        }
        byte[] xml = invoice.xml();
        return new Answer(200, "application/xml", xml, Map.of("x-ms-meta-hash", dev.ksef.sync.crypto.Sha256.base64(xml)));
    }

    /**
     * {@code POST /invoices/query/metadata}: the context's invoices matching the filters (as exports apply them, omitted
     * ones included), one page of them ({@link MetadataQuery}); 21183 for a {@code from} after the HWM with
     * {@code restrictToPermanentStorageHwmDate}.
     */
    private Answer queryMetadata(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getRawPath();
        String nip = authorizedNip(exchange);
        if (nip == null) {
            return problemJson(401, ErrorBodies.unauthorized(path, "Brak lub nieważny token dostępowy."));
        }
        JsonNode tree = readTree(exchange);
        InvoiceQueryFilters filters = tree == null ? null : treeToValue(tree, InvoiceQueryFilters.class);
        String invalid = validate(filters, "");
        MetadataQuery query = null;
        ExportFilter filter = null;
        try {
            query = MetadataQuery.of(rawQuery(exchange.getRequestURI().getRawQuery()));
            if (invalid == null) {
                filter = ExportFilter.of(tree);
            }
        } catch (IllegalArgumentException e) {
            invalid = invalid != null ? invalid : e.getMessage();
        }
        if (invalid != null) {
            return badRequest(exchange, 21405, "Błąd walidacji danych wejściowych.", invalid);
        }
        var range = filters.dateRange();
        boolean permanentStorage = "PermanentStorage".equals(range.dateType());
        OffsetDateTime to = range.to() != null ? range.to() : clock.now();
        OffsetDateTime hwmNow = currentHwm();
        OffsetDateTime hwmOfQuery = hwmNow.isBefore(to) ? hwmNow : to;
        boolean restrict = permanentStorage && Boolean.TRUE.equals(range.restrictToPermanentStorageHwmDate());
        if (restrict && range.from().isAfter(hwmOfQuery)) {
            return badRequest(exchange, 21183, "Zakres filtrowania wykracza poza dostępny zakres danych.",
                    "Parametr dateRange.from jest późniejszy niż PermanentStorageHwmDate przy włączonym restrictToPermanentStorageHwmDate.");
        }
        List<SimInvoice> matching = context(nip).corpus().select(filters.subjectType(), range.dateType(), range.from(),
                restrict ? hwmOfQuery : to).stream().filter(filter).toList();
        return json(200, query.page(matching, config.maxMetadataResults, permanentStorage ? hwmOfQuery : null));
    }

    // ---------------------------------------------------------------- plumbing

    private static void send(HttpExchange exchange, Answer answer) throws IOException {
        answer.headers().forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
        exchange.getResponseHeaders().set("Content-Type", answer.contentType());
        long length = answer.file() != null ? Files.size(answer.file()) : answer.body().length;
        exchange.sendResponseHeaders(answer.status(), length == 0 ? -1 : length);
        try (OutputStream out = exchange.getResponseBody()) {
            if (answer.file() != null) {
                Files.copy(answer.file(), out);
            } else {
                out.write(answer.body());
            }
        }
    }

    private static Answer badRequest(HttpExchange exchange, int code, String description, String detail) {
        boolean problem = problem(exchange);
        Object body = ErrorBodies.badRequest(problem, exchange.getRequestURI().getRawPath(), code, description, detail);
        return problem ? problemJson(400, body) : json(400, body);
    }

    private static Answer serverError(HttpExchange exchange, int status) {
        boolean problem = problem(exchange);
        Object body = ErrorBodies.serverError(problem, exchange.getRequestURI().getRawPath(), status);
        return problem ? problemJson(status, body) : json(status, body);
    }

    private static Answer json(int status, Object body) {
        return body(status, "application/json", body);
    }

    private static Answer problemJson(int status, Object body) {
        return body(status, "application/problem+json", body);
    }

    private static Answer body(int status, String contentType, Object body) {
        try {
            return new Answer(status, contentType, KsefJson.mapper().writeValueAsBytes(body), Map.of());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The request body as JSON, or {@code null} when empty or not JSON. */
    private static JsonNode readTree(HttpExchange exchange) throws IOException {
        try (InputStream in = exchange.getRequestBody()) {
            byte[] bytes = in.readAllBytes();
            return bytes.length == 0 ? null : KsefJson.mapper().readTree(bytes);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            return null;
        }
    }

    private static <T> T treeToValue(JsonNode tree, Class<T> type) {
        try {
            return KsefJson.mapper().treeToValue(tree, type);
        } catch (com.fasterxml.jackson.core.JsonProcessingException | IllegalArgumentException e) {
            return null;
        }
    }

    private static <T> T read(HttpExchange exchange, Class<T> type) throws IOException {
        try (InputStream in = exchange.getRequestBody()) {
            byte[] bytes = in.readAllBytes();
            if (bytes.length == 0) {
                return null;
            }
            JsonNode tree = KsefJson.mapper().readTree(bytes);
            return KsefJson.mapper().treeToValue(tree, type);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            return null;
        }
    }

    private static boolean problem(HttpExchange exchange) {
        return "problem-details".equalsIgnoreCase(exchange.getRequestHeaders().getFirst("X-Error-Format"));
    }

    private static String bearer(HttpExchange exchange) {
        String header = exchange.getRequestHeaders().getFirst("Authorization");
        return header != null && header.startsWith("Bearer ") ? header.substring(7) : null;
    }

    private static String group(Pattern pattern, String path) {
        Matcher m = pattern.matcher(path);
        return m.matches() ? m.group(1) : null;
    }

    private static Map<String, String> rawQuery(String query) {
        Map<String, String> out = new java.util.HashMap<>();
        if (query != null) {
            for (String pair : query.split("&")) {
                int eq = pair.indexOf('=');
                if (eq > 0) {
                    out.put(pair.substring(0, eq), pair.substring(eq + 1));
                }
            }
        }
        return out;
    }

    private String opaqueToken() {
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(randomBytes(48));
        secrets.add(token);
        return token;
    }

    private byte[] randomBytes(int n) {
        byte[] bytes = new byte[n];
        random.nextBytes(bytes);
        return bytes;
    }

    /** {@code YYYYMMDD-TT-10HEX-10HEX-CC}, CC = CRC-8 over the first 33 characters (as KSeF's own numbers have it). */
    private String referenceNumber(String type) {
        String hex = HexFormat.of().withUpperCase().formatHex(randomBytes(10));
        String body = clock.now().format(DateTimeFormatter.BASIC_ISO_DATE).substring(0, 8) + "-" + type + "-"
                + hex.substring(0, 10) + "-" + hex.substring(10, 20);
        return body + "-" + KsefNumber.checksum(body);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }
}
