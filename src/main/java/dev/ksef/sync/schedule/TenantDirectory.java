package dev.ksef.sync.schedule;

import dev.ksef.sync.KsefBaseUrl;
import dev.ksef.sync.KsefConfigurationException;
import dev.ksef.sync.LoginSettings;
import dev.ksef.sync.Secrets;
import dev.ksef.sync.auth.KsefContext;
import dev.ksef.sync.auth.KsefSessions;
import dev.ksef.sync.auth.LoginCredential;
import dev.ksef.sync.crypto.KeySeal;
import dev.ksef.sync.tenant.Tenant;
import dev.ksef.sync.tenant.TenantStore;
import dev.ksef.sync.tenant.TenantTokens;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The contexts this bundle syncs and how it logs in to each: the contexts the settings name ({@code ksef.nip}, or a
 * Kamelet's), synced with {@code ksef.subject-types} and {@code ksef.sync.<subjectType>.cron}, and the enabled tenants
 * of the {@code ksef_tenant} table with their own subject types, crons and first-sync start. A tenant's login is its own
 * KSeF token (sealed with {@code ksef.store.key}), or the certificate of {@code ksef.auth.certificate}, loaded once and
 * shared by every tenant that granted its subject {@code InvoiceRead}. Read from the table at each run and each
 * reconciliation, so that a change reaches every node without a restart.
 */
public final class TenantDirectory implements KsefSessions.ContextSource {

    /** What is synced of one context: its subject types, their crons, and where its first sync starts (null: the default). */
    public record Plan(String nip, List<String> subjectTypes, Map<String, String> crons, String initialFrom) {
    }

    private record Known(Instant updatedAt, KsefContext context) {
    }

    private final TenantStore store;
    private final Function<String, String> settings;
    private final Supplier<Secrets> secrets;
    private final Supplier<List<String>> configured;
    private final Map<String, Known> contexts = new ConcurrentHashMap<>();
    private volatile LoginCredential certificate;

    /**
     * @param settings a setting's value ("" when unset)
     * @param configured the NIPs the settings connected (their login comes from the settings, not from here)
     */
    public TenantDirectory(TenantStore store, Function<String, String> settings, Supplier<Secrets> secrets, Supplier<List<String>> configured) {
        this.store = store;
        this.settings = settings;
        this.secrets = secrets;
        this.configured = configured;
    }

    /** Every context to sync now, by NIP: the configured ones, then the enabled tenants (a tenant row wins for its plan). */
    public Map<String, Plan> plans() {
        Map<String, Plan> plans = new TreeMap<>();
        List<String> subjectTypes = Tenant.parseSubjectTypes(settings.apply("ksef.subject-types"));
        for (String nip : configured.get()) {
            plans.put(nip, new Plan(nip, subjectTypes, Map.of(), null));
        }
        for (Tenant tenant : store.enabled()) {
            plans.put(tenant.nip(), new Plan(tenant.nip(), tenant.subjectTypes(), tenant.crons(), tenant.initialFrom()));
        }
        return plans;
    }

    /** The tenant table's version (count and newest change): every change of a tenant moves it. */
    public TenantStore.Version version() {
        return store.version();
    }

    /** {@link #plans()} as NIP to subject types (health checks, meters, status). */
    public Map<String, List<String>> subjectTypes() {
        Map<String, List<String>> all = new LinkedHashMap<>();
        plans().forEach((nip, plan) -> all.put(nip, plan.subjectTypes()));
        return all;
    }

    /** The cron of a context's subject type: the tenant's override, else {@code ksef.sync.<subjectType>.cron}. */
    public String cron(Plan plan, String subjectType) {
        String own = plan.crons().get(subjectType);
        return own != null && !own.isBlank() ? own : settings.apply("ksef.sync." + subjectType + ".cron");
    }

    /** Whether {@code nip} is synced now: a configured context or an enabled tenant (one query). */
    public boolean synced(String nip) {
        return configured.get().contains(nip) || store.find(nip).map(Tenant::enabled).orElse(false);
    }

    public Optional<Plan> plan(String nip) {
        return Optional.ofNullable(plans().get(nip));
    }

    /**
     * The login of a tenant, the same object while its row is unchanged (its session keeps its tokens); null when the
     * NIP is not a tenant. A disabled tenant, a token that does not open, or a certificate tenant without
     * {@code ksef.auth.certificate} fail with one line naming the tenant.
     */
    @Override
    public KsefContext context(String nip) {
        Tenant tenant = store.find(nip).orElse(null);
        if (tenant == null) {
            contexts.remove(nip);
            return null;
        }
        if (!tenant.enabled()) {
            throw new KsefConfigurationException("tenant " + nip + " is disabled");
        }
        // made at most once per change of the row, also when runs of two subject types ask at the same instant
        // (two objects would mean two sessions, two logins, and a run using the other's half-done login)
        return contexts.compute(nip, (n, known) -> known != null && known.updatedAt().equals(tenant.updatedAt())
                ? known : new Known(tenant.updatedAt(), newContext(tenant))).context();
    }

    private KsefContext newContext(Tenant tenant) {
        String storeKey = secrets.get().get("ksef.store.key");
        LoginCredential credential = tenant.credential() == Tenant.Credential.TOKEN
                ? new LoginCredential.Token(new TenantTokens(storeKey).open(tenant))
                : certificate();
        return new KsefContext(KsefBaseUrl.require(settings.apply("ksef.base-url")).strip(), tenant.nip(), credential,
                KeySeal.of(storeKey, credential.storeKeyMaterial()));
    }

    /** The office certificate every certificate tenant logs in with, loaded at its first use. */
    private synchronized LoginCredential certificate() {
        LoginCredential c = certificate;
        if (c == null) {
            if (settings.apply("ksef.auth.certificate").isBlank()) {
                throw new KsefConfigurationException("a tenant logs in with the certificate, but ksef.auth.certificate is not set");
            }
            c = LoginSettings.credential(settings, secrets.get(), Clock.systemUTC().instant());
            certificate = c;
        }
        return c;
    }
}
