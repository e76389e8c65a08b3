package dev.ksef.sync.simulator;

import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Tunables of the simulator; the defaults are KSeF's documented values. Setters return {@code this}. */
public final class SimulatorConfig {

    /** the contexts (NIPs) served from the start, the first one being {@link KsefSimulator#nip()} */
    final List<String> contexts = new ArrayList<>(List.of("5265877635"));
    /** invoices generated for a context when it is first used, unless {@link #invoices(String, int)} says otherwise */
    int invoicesPerContext = 0;
    final Map<String, Integer> invoicesOf = new HashMap<>();
    /** generated invoices are stored over this span, ending 5 minutes before the simulator started */
    Duration invoiceSpan = Duration.ofDays(20);
    int port = 0;
    String host = "127.0.0.1";
    long seed = 42;
    /** plain bytes per part (KSeF: at most 50 MB) */
    long partSize = 50_000_000L;
    /** a package holds at most this many invoices (KSeF: 10 000) */
    int maxInvoicesPerPackage = 10_000;
    /** ... and at most this many compressed bytes (KSeF: 1 GB) */
    long maxPackageBytes = 1_000_000_000L;
    /** how many status polls answer 100 before the export is done */
    int pollsBeforeReady = 1;
    int authPollsBeforeReady = 1;
    /** the HWM trails now by this much */
    Duration hwmLag = Duration.ofSeconds(30);
    Duration accessTokenTtl = Duration.ofMinutes(15);
    Duration authenticationTokenTtl = Duration.ofMinutes(45);
    Duration refreshTokenTtl = Duration.ofDays(7);
    Duration partUrlTtl = Duration.ofMinutes(60);
    Duration statusRetention = Duration.ofDays(7);
    Duration packageRetention = Duration.ofDays(7);
    int maxRunningExports = 10;
    /** the metadata query lists at most this many results of one filter set, then says isTruncated (KSeF: 10 000) */
    int maxMetadataResults = 10_000;
    /** 1.0 = real time; 3600 = an hour of rate limits passes in a second */
    double rateLimitTimeScale = 1.0;
    /** how much each call during a 429 block lengthens it, in simulated seconds */
    long blockPenaltySeconds = 5;
    /** the CAs a certificate login must chain to when the client asks for {@code verifyCertificateChain=true}; none by default */
    final List<X509Certificate> trustAnchors = new ArrayList<>();
    final Map<String, RateLimiter.Limits> limits = new HashMap<>(Map.of(
            "invoiceExport", new RateLimiter.Limits(8, 16, 20),
            "invoiceExportStatus", new RateLimiter.Limits(10, 60, 600),
            "invoiceDownload", new RateLimiter.Limits(8, 16, 64),
            "invoiceMetadata", new RateLimiter.Limits(8, 16, 20),
            "auth", new RateLimiter.Limits(60, 0, 0),
            "other", new RateLimiter.Limits(10, 30, 120)));

    /** The single (or first) context: its NIP, as {@link KsefSimulator#nip()}, {@code corpus()} and {@code ksefToken()} name it. */
    public SimulatorConfig nip(String nip) {
        contexts.set(0, validNip(nip));
        return this;
    }

    /**
     * The contexts (NIPs) the simulator serves from the start, each with its own invoices, KSeF token, limits and
     * exports; the first is {@link KsefSimulator#nip()}. More can be added while it runs ({@link KsefSimulator#addContext}).
     */
    public SimulatorConfig contexts(List<String> nips) {
        if (nips.isEmpty()) {
            throw new IllegalArgumentException("contexts: at least one NIP");
        }
        List<String> checked = nips.stream().map(SimulatorConfig::validNip).distinct().toList();
        contexts.clear();
        contexts.addAll(checked);
        return this;
    }

    /** {@code count} contexts: the current first NIP and {@code count - 1} valid NIPs drawn from the seed. */
    public SimulatorConfig generatedContexts(int count) {
        java.util.Random random = new java.util.Random(seed);
        java.util.LinkedHashSet<String> nips = new java.util.LinkedHashSet<>(List.of(contexts.get(0)));
        while (nips.size() < count) {
            nips.add(Nips.random(random));
        }
        return contexts(List.copyOf(nips));
    }

    /** Every context gets {@code count} generated invoices when first used (0, the default: tests add their own). */
    public SimulatorConfig invoicesPerContext(int count) { this.invoicesPerContext = count; return this; }

    /** This context gets {@code count} generated invoices when first used, whatever {@link #invoicesPerContext} says. */
    public SimulatorConfig invoices(String nip, int count) { invoicesOf.put(validNip(nip), count); return this; }

    /** How far back generated invoices reach (default 20 days; they end 5 minutes before the simulator started). */
    public SimulatorConfig invoiceSpan(Duration span) { this.invoiceSpan = span; return this; }

    int invoicesFor(String nip) {
        return invoicesOf.getOrDefault(nip, invoicesPerContext);
    }

    static String validNip(String nip) {
        if (!Nips.isValid(nip)) {
            throw new IllegalArgumentException("not a valid NIP (10 digits with a check digit): " + nip);
        }
        return nip;
    }

    public SimulatorConfig port(int port) { this.port = port; return this; }

    public SimulatorConfig seed(long seed) { this.seed = seed; return this; }

    public SimulatorConfig partSize(long bytes) { this.partSize = bytes; return this; }

    public SimulatorConfig maxInvoicesPerPackage(int count) { this.maxInvoicesPerPackage = count; return this; }

    public SimulatorConfig maxPackageBytes(long bytes) { this.maxPackageBytes = bytes; return this; }

    public SimulatorConfig pollsBeforeReady(int polls) { this.pollsBeforeReady = polls; return this; }

    public SimulatorConfig authPollsBeforeReady(int polls) { this.authPollsBeforeReady = polls; return this; }

    public SimulatorConfig hwmLag(Duration lag) { this.hwmLag = lag; return this; }

    public SimulatorConfig accessTokenTtl(Duration ttl) { this.accessTokenTtl = ttl; return this; }

    public SimulatorConfig partUrlTtl(Duration ttl) { this.partUrlTtl = ttl; return this; }

    public SimulatorConfig packageRetention(Duration retention) { this.packageRetention = retention; return this; }

    public SimulatorConfig maxRunningExports(int count) { this.maxRunningExports = count; return this; }

    /** The metadata query's cap on the results of one filter set (KSeF: 10 000), lower for tests of {@code isTruncated}. */
    public SimulatorConfig maxMetadataResults(int count) { this.maxMetadataResults = count; return this; }

    public SimulatorConfig rateLimitTimeScale(double scale) { this.rateLimitTimeScale = scale; return this; }

    public SimulatorConfig blockPenaltySeconds(long seconds) { this.blockPenaltySeconds = seconds; return this; }

    /** Adds a CA that certificate logins with {@code verifyCertificateChain=true} may chain to (the simulator's "KSeF CA"). */
    public SimulatorConfig trustAnchor(X509Certificate anchor) { this.trustAnchors.add(anchor); return this; }

    /** Overrides the limits of one group ({@code invoiceExport}, {@code invoiceExportStatus}, {@code invoiceDownload}, {@code invoiceMetadata}, {@code auth}: each auth endpoint counted on its own). */
    public SimulatorConfig limits(String group, int perSecond, int perMinute, int perHour) {
        limits.put(group, new RateLimiter.Limits(perSecond, perMinute, perHour));
        return this;
    }

    /** No rate limits at all, for tests about something else. */
    public SimulatorConfig unlimited() {
        limits.replaceAll((g, l) -> new RateLimiter.Limits(0, 0, 0));
        return this;
    }
}
