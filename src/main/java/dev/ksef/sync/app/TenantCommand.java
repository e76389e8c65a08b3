package dev.ksef.sync.app;

import static dev.ksef.sync.app.CommandOptions.first;
import static dev.ksef.sync.app.CommandOptions.parse;
import static dev.ksef.sync.app.CommandOptions.required;

import com.zaxxer.hikari.HikariDataSource;
import dev.ksef.sync.KsefConfigurationException;
import dev.ksef.sync.Secrets;
import dev.ksef.sync.SettingsCheck;
import dev.ksef.sync.tenant.Tenant;
import dev.ksef.sync.tenant.Tenant.Credential;
import dev.ksef.sync.tenant.TenantCsv;
import dev.ksef.sync.tenant.TenantStore;
import dev.ksef.sync.tenant.TenantTokens;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * {@code tenant add|list|enable|disable|remove|import}: the KSeF contexts the bundle syncs, in table
 * {@code ksef_tenant} of the configured database (read by every node within a minute). A token is read from a file,
 * sealed with {@code ksef.store.key} and never printed; {@code list} never shows a token or a sealed value. Bad input
 * is one line {@code ksef-camel-sync: ...} and exit code 2; nothing is written before every input is checked.
 */
public final class TenantCommand {

    static final String USAGE = """
            usage: java -jar ksef-camel-sync.jar tenant add --nip <NIP> [--name N] [--token-file F | --certificate] \
            [--subject-types S1,S2] [--initial-from X] [--cron <SubjectType>=<cron>]...
                   java -jar ksef-camel-sync.jar tenant list [--json]
                   java -jar ksef-camel-sync.jar tenant enable|disable|remove --nip <NIP>
                   java -jar ksef-camel-sync.jar tenant import <file.csv>   (header: nip,name,token-file,certificate,subject-types,initial-from,cron)""";
    private static final Set<String> ADD_OPTIONS = Set.of("--nip", "--name", "--token-file", "--subject-types", "--initial-from", "--cron");

    private final Function<String, String> settings;
    private final Secrets secrets;
    private final PrintStream out;

    private TenantCommand(Function<String, String> settings, Secrets secrets, PrintStream out) {
        this.settings = settings;
        this.secrets = secrets;
        this.out = out;
    }

    /**
     * Runs {@code args} (after "tenant") with the effective {@code settings} and {@code secrets}; results go to
     * {@code out}, a mistake to {@code err}. Returns the exit code: 0 done, 1 the database failed, 2 bad input.
     */
    public static int run(List<String> args, Function<String, String> settings, Secrets secrets, PrintStream out, PrintStream err) {
        String command = args.isEmpty() ? "" : args.get(0);
        try {
            TenantCommand tenant = new TenantCommand(settings, secrets, out);
            List<String> rest = args.isEmpty() ? List.of() : args.subList(1, args.size());
            switch (command) {
                case "add" -> tenant.add(parse("tenant add", rest, ADD_OPTIONS, Set.of("--certificate")));
                case "list" -> tenant.list(parse("tenant list", rest, Set.of(), Set.of("--json")).containsKey("--json"));
                case "enable", "disable" -> tenant.enable(nip("tenant " + command, rest), command.equals("enable"));
                case "remove" -> tenant.remove(nip("tenant remove", rest));
                case "import" -> tenant.importFile(rest);
                case "--help", "-h", "help" -> out.println(USAGE);
                default -> throw new KsefConfigurationException("tenant: " + (command.isEmpty() ? "which command?" : "unknown command '" + command + "';")
                        + " add, list, enable, disable, remove or import (tenant --help shows how)");
            }
            return 0;
        } catch (RuntimeException e) {
            KsefConfigurationException mistake = KsefConfigurationException.in(e);
            if (mistake != null) {
                err.println("ksef-camel-sync: " + mistake.getMessage());
                return 2;
            }
            err.println("ksef-camel-sync: tenant " + command + " failed: " + e.getClass().getSimpleName() + ": " + e.getMessage()
                    + (e.getCause() == null ? "" : " (" + e.getCause().getMessage() + ")"));
            return 1;
        }
    }

    private void add(Map<String, List<String>> options) {
        String givenNip = required(options, "tenant add", "--nip");
        String nip = checked("tenant add --nip", () -> Tenant.requireNip(givenNip));
        String name = checked("tenant add --name", () -> Tenant.requireName(first(options, "--name")));
        List<String> subjectTypes = options.containsKey("--subject-types")
                ? checked("tenant add --subject-types", () -> Tenant.parseSubjectTypes(first(options, "--subject-types")))
                : defaultSubjectTypes();
        String initialFrom = checked("tenant add --initial-from", () -> Tenant.requireInitialFrom(first(options, "--initial-from")));
        Map<String, String> crons = new HashMap<>();
        for (String override : options.getOrDefault("--cron", List.of())) {
            Map.Entry<String, String> cron = checked("tenant add --cron", () -> Tenant.parseCronOverride(override));
            if (crons.put(cron.getKey(), cron.getValue()) != null) {
                throw new KsefConfigurationException("tenant add --cron: " + cron.getKey() + " is given twice");
            }
        }
        String tokenFile = first(options, "--token-file");
        boolean certificate = options.containsKey("--certificate");
        if (tokenFile != null && certificate) {
            throw new KsefConfigurationException("tenant add: --token-file and --certificate: a tenant logs in with one of them");
        }
        String sealedToken = null;
        if (tokenFile != null) {
            sealedToken = new TenantTokens(secrets.get("ksef.store.key")).seal(nip, readToken("tenant add --token-file", path(tokenFile, null)));
        } else if (certificate) {
            requireCertificate("tenant add --certificate");
        } else if (!certificateConfigured()) {
            throw new KsefConfigurationException("tenant add: no credential: give --token-file <file> with the tenant's KSeF token, or set "
                    + "ksef.auth.certificate (a certificate that serves every tenant; KSEF_AUTH_CERTIFICATE=...) and use --certificate");
        }
        Tenant tenant = Tenant.of(nip, name, subjectTypes, sealedToken == null ? Credential.CERTIFICATE : Credential.TOKEN, sealedToken, crons, initialFrom);
        try (HikariDataSource database = open()) {
            out.println("added tenant " + describe(new TenantStore(database).add(tenant)));
        }
    }

    private void list(boolean json) {
        List<Tenant> tenants;
        try (HikariDataSource database = open()) {
            tenants = new TenantStore(database).list();
        }
        out.println(json ? TenantListing.json(tenants) : TenantListing.table(tenants));
    }

    private void enable(String nip, boolean enabled) {
        try (HikariDataSource database = open()) {
            boolean changed = new TenantStore(database).setEnabled(nip, enabled);
            out.println("tenant " + nip + (changed ? " " : " was already ") + (enabled ? "enabled" : "disabled"));
        }
    }

    private void remove(String nip) {
        try (HikariDataSource database = open()) {
            new TenantStore(database).remove(nip);
        }
        out.println("removed tenant " + nip + " (its continuation points, exports and delivered keys stay in the database)");
    }

    private void importFile(List<String> args) {
        if (args.size() != 1 || args.get(0).startsWith("--")) {
            throw new KsefConfigurationException("tenant import: give one CSV file: tenant import <file.csv>");
        }
        Path file = path(args.get(0), null);
        List<TenantCsv.Row> rows = TenantCsv.parse(file);
        Map<Integer, String> sealed = new HashMap<>();
        TenantTokens tokens = null;
        for (TenantCsv.Row row : rows) {
            if (row.tokenFile() != null) {
                String at = file + " line " + row.line() + ", column token-file";
                String token = readToken(at, path(row.tokenFile(), file.toAbsolutePath().getParent()));
                tokens = tokens == null ? new TenantTokens(secrets.get("ksef.store.key")) : tokens;
                sealed.put(row.line(), tokens.seal(row.nip(), token));
            } else if (row.certificate()) {
                requireCertificate(file + " line " + row.line() + ", column certificate");
            }
        }
        try (HikariDataSource database = open()) {
            TenantStore store = new TenantStore(database);
            List<Tenant> tenants = new ArrayList<>();
            for (TenantCsv.Row row : rows) {
                tenants.add(row.tenant(sealed.get(row.line()), store.find(row.nip()), defaultSubjectTypes(), certificateConfigured(), file.toString()));
            }
            List<TenantStore.Upsert> done = store.upsertAll(tenants);
            int added = 0;
            for (int i = 0; i < rows.size(); i++) {
                boolean isNew = done.get(i) == TenantStore.Upsert.ADDED;
                added += isNew ? 1 : 0;
                out.println("line " + rows.get(i).line() + ": " + (isNew ? "added " : "updated ") + describe(tenants.get(i)));
            }
            out.println(file + ": " + added + " added, " + (rows.size() - added) + " updated");
        }
    }

    /** The configured database, migrated; {@code ksef.nip} owns the rows of a single-tenant version. */
    private HikariDataSource open() {
        SettingsCheck check = new SettingsCheck(settings);
        String nip = check.value("ksef.nip").isEmpty() ? "" : check.nip("ksef.nip");
        long timeout = check.value("ksef.db.connection-timeout-ms").isEmpty() ? 30_000 : check.integer("ksef.db.connection-timeout-ms", 1, Integer.MAX_VALUE);
        String dataDir = check.value("ksef.data-dir").isEmpty() ? "./data" : check.value("ksef.data-dir");
        return AppDatabase.open(check.value("ksef.db.url"), check.value("ksef.db.user"), secrets.get("ksef.db.password"), Path.of(dataDir), timeout, 2, nip);
    }

    private List<String> defaultSubjectTypes() {
        String configured = new SettingsCheck(settings).value("ksef.subject-types");
        return configured.isEmpty() ? Tenant.SUBJECT_TYPES : checked("ksef.subject-types", () -> Tenant.parseSubjectTypes(configured));
    }

    private boolean certificateConfigured() {
        return !new SettingsCheck(settings).value("ksef.auth.certificate").isEmpty();
    }

    private void requireCertificate(String where) {
        if (!certificateConfigured()) {
            throw new KsefConfigurationException(where + ": the certificate is ksef.auth.certificate, which is not set ("
                    + SettingsCheck.howToSet("ksef.auth.certificate") + ")");
        }
    }

    /** The first line of {@code file}, the KSeF token (never shown). */
    private static String readToken(String where, Path file) {
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line = in.readLine();
            if (line == null || line.isBlank()) {
                throw new KsefConfigurationException(where + ": " + file + " has no KSeF token on its first line");
            }
            return line.strip();
        } catch (IOException e) {
            throw new KsefConfigurationException(where + ": cannot read " + file + " (" + e.getClass().getSimpleName() + ")");
        }
    }

    private static Path path(String name, Path base) {
        try {
            Path path = Path.of(name);
            return base == null || path.isAbsolute() ? path : base.resolve(path);
        } catch (InvalidPathException e) {
            throw new KsefConfigurationException("'" + name + "' is not a valid file name");
        }
    }

    private static String describe(Tenant t) {
        return t.nip() + (t.name() == null ? "" : " (" + t.name() + ")") + ": " + String.join(",", t.subjectTypes()) + ", credential "
                + t.credential().id() + ", initial-from " + (t.initialFrom() == null ? "default" : t.initialFrom())
                + (t.crons().isEmpty() ? "" : ", cron " + t.crons()) + (t.enabled() ? "" : ", disabled");
    }

    /** The value of {@code check}, or its mistake prefixed with where the value came from. */
    private static <T> T checked(String where, Supplier<T> check) {
        try {
            return check.get();
        } catch (KsefConfigurationException e) {
            throw new KsefConfigurationException(where + ": " + e.getMessage());
        }
    }

    private static String nip(String command, List<String> args) {
        Map<String, List<String>> options = parse(command, args, Set.of("--nip"), Set.of());
        String nip = required(options, command, "--nip");
        return checked(command + " --nip", () -> Tenant.requireNip(nip));
    }
}
