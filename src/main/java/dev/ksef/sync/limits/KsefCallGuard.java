package dev.ksef.sync.limits;

import com.fasterxml.jackson.core.JacksonException;
import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import org.apache.camel.Exchange;
import org.apache.camel.http.base.HttpOperationFailedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every call to the KSeF API passes here (the bundle's {@code interceptSendToEndpoint} on {@code ksef.base-url}, once per
 * attempt): the call's endpoint group is named and the {@link RateBudget} admits it. The error handling asks it what a
 * failure means: a 429 blocks the group for its {@code Retry-After} and is retried if that fits {@code ksef.rate.max-wait};
 * 5xx, timeouts and resets are transient and retried with back-off; anything else ends the run.
 */
public final class KsefCallGuard {

    public static final String LIMIT_GROUP = "ksefLimitGroup";
    /** The counter the call was admitted by: its scope (context NIP, or empty per IP) and group, e.g. {@code auth:challenge}. */
    static final String BUDGET_SCOPE = "ksefBudgetScope";
    static final String BUDGET_GROUP = "ksefBudgetGroup";
    private static final Logger LOG = LoggerFactory.getLogger("dev.ksef.sync.limits");
    private static final Duration RETRY_AFTER_FALLBACK = Duration.ofSeconds(60);

    private final RateBudget budget;
    private final Duration maxWait;
    private final Clock clock;
    private final Observer observer;

    /** What the guard reports (the bundle's meters): 429s and waits for the budget, per subject type and endpoint group. */
    public interface Observer {
        Observer NONE = new Observer() {
        };

        default void throttled(String subjectType, String group) {
        }

        default void waited(String subjectType, String group, long millis) {
        }
    }

    public KsefCallGuard(RateBudget budget, Duration maxWait, Clock clock) {
        this(budget, maxWait, clock, Observer.NONE);
    }

    public KsefCallGuard(RateBudget budget, Duration maxWait, Clock clock, Observer observer) {
        this.budget = budget;
        this.maxWait = maxWait;
        this.clock = clock;
        this.observer = observer;
    }

    /** Before each attempt of a KSeF call: wait for the budget of its group, then let it go. */
    public void beforeCall(Exchange exchange) throws InterruptedException {
        String uri = exchange.getProperty(Exchange.INTERCEPTED_ENDPOINT, String.class);
        String method = exchange.getIn().getHeader(Exchange.HTTP_METHOD, "GET", String.class);
        String target = uri.replaceFirst("^ksef-http:(//)?(https?://)?", "http://"); // the KSeF URL behind the private component
        String path = URI.create(target.replace(" ", "%20")).getPath();
        String group = limitGroup(method, path);
        String counter = counter(group, method, path);
        // KSeF counts per context and IP, except the public endpoints, counted per IP alone
        String scope = counter.equals("auth:challenge") || counter.equals("auth:public-keys") ? ""
                : exchange.getProperty("ksefContextNip", "", String.class);
        exchange.setProperty(LIMIT_GROUP, group);
        exchange.setProperty(BUDGET_SCOPE, scope);
        exchange.setProperty(BUDGET_GROUP, counter);
        long waited = budget.acquire(scope, counter);
        if (waited > 0) {
            observer.waited(subjectType(exchange), group, waited);
        }
    }

    /** KSeF's rate-limit group of a call, from its method and path (documented per endpoint). */
    public static String limitGroup(String method, String path) {
        String p = path == null ? "" : path;
        if (p.contains("/invoices/exports")) {
            return "POST".equalsIgnoreCase(method) ? "invoiceExport" : "invoiceExportStatus";
        }
        if (p.contains("/invoices/ksef/") || p.endsWith("/invoices/ksef")) { // the number may come as the call's CamelHttpPath
            return "invoiceDownload";
        }
        if (p.contains("/invoices/query/metadata")) {
            return "invoiceMetadata";
        }
        if (p.contains("/auth") || p.contains("/security/public-key-certificates")) {
            return "auth";
        }
        return "other";
    }

    /** The counter of a call within its group: each auth endpoint has its own (KSeF limits each separately). */
    static String counter(String group, String method, String path) {
        if (!group.equals("auth")) {
            return group;
        }
        String p = path == null ? "" : path;
        if (p.endsWith("/auth/challenge")) {
            return "auth:challenge";
        }
        if (p.contains("/security/public-key-certificates")) {
            return "auth:public-keys";
        }
        if (p.endsWith("/auth/ksef-token")) {
            return "auth:ksef-token";
        }
        if (p.endsWith("/auth/xades-signature")) {
            return "auth:xades-signature";
        }
        if (p.endsWith("/auth/token/redeem")) {
            return "auth:redeem";
        }
        if (p.endsWith("/auth/token/refresh")) {
            return "auth:refresh";
        }
        return "GET".equalsIgnoreCase(method) ? "auth:status" : "auth:other";
    }

    /**
     * A 429: no call of the group before Retry-After; retried (the budget waits out the block) when the block fits
     * {@code ksef.rate.max-wait}, otherwise the run ends and the block stays stored for the next trigger.
     */
    public boolean rateLimited(Exchange exchange) {
        HttpOperationFailedException failure = failure(exchange, HttpOperationFailedException.class);
        String group = exchange.getProperty(LIMIT_GROUP, "other", String.class);
        Duration retryAfter = RetryAfter.from(failure == null ? null : failure.getResponseHeaders(), clock.instant(), RETRY_AFTER_FALLBACK);
        budget.blocked(exchange.getProperty(BUDGET_SCOPE, "", String.class), exchange.getProperty(BUDGET_GROUP, group, String.class), retryAfter);
        observer.throttled(subjectType(exchange), group);
        boolean retry = retryAfter.compareTo(maxWait) <= 0;
        LOG.warn("KSeF answered 429 to a {} call of {}: no call of that group for {} s{}", group,
                exchange.getProperty("ksefContextNip", "?", String.class), retryAfter.toSeconds(),
                retry ? ", then this one is retried" : ", longer than ksef.rate.max-wait: the run ends");
        return retry;
    }

    /** 5xx, timeouts and connection resets are worth retrying; a response we cannot read is not. */
    public boolean transientFailure(Exchange exchange) {
        Exception e = failure(exchange, Exception.class);
        if (e instanceof HttpOperationFailedException http) {
            return http.getStatusCode() >= 500;
        }
        return e instanceof IOException && !(e instanceof JacksonException);
    }

    /** The subject type whose run makes the call ({@code none} outside a run). */
    private static String subjectType(Exchange exchange) {
        return exchange.getProperty("ksefSubjectType", "none", String.class);
    }

    private static <T extends Exception> T failure(Exchange exchange, Class<T> type) {
        Exception e = exchange.getException() != null ? exchange.getException() : exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        return type.isInstance(e) ? type.cast(e) : null;
    }
}
