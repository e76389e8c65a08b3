package dev.ksef.sync.tenant;

import dev.ksef.sync.KsefConfigurationException;
import dev.ksef.sync.Nip;
import dev.ksef.sync.SettingsCheck;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.quartz.CronExpression;

/**
 * One KSeF context the bundle syncs: a client's NIP, the subject types synced for it (in KSeF's order), how the bundle
 * logs in to it ({@link Credential}: the tenant's own KSeF token, sealed with the store key, or the certificate of
 * {@code ksef.auth.certificate}, which serves every tenant that granted it), cron overrides per subject type and where
 * its first sync starts ({@code null}: the settings' defaults). Every value is checked when a tenant is made; the static
 * helpers check one input each and fail with one {@link KsefConfigurationException} line that shows the value (never a
 * token). {@link #toString} never shows the sealed token.
 */
public record Tenant(String nip, String name, boolean enabled, List<String> subjectTypes, Credential credential, String sealedToken,
                     Map<String, String> crons, String initialFrom, Instant createdAt, Instant updatedAt) {

    /** KSeF's subject types, in KSeF's order. */
    public static final List<String> SUBJECT_TYPES = SettingsCheck.SUBJECT_TYPES;
    static final int MAX_NAME = 200;
    static final int MAX_CRON = 120;
    static final int MAX_INITIAL_FROM = 64;

    /** How the bundle logs in to the tenant's context; {@link #id()} is the stored and printed form. */
    public enum Credential {
        TOKEN("token"), CERTIFICATE("certificate");

        private final String id;

        Credential(String id) {
            this.id = id;
        }

        public String id() {
            return id;
        }

        public static Credential of(String id) {
            for (Credential c : values()) {
                if (c.id.equals(id)) {
                    return c;
                }
            }
            throw new KsefConfigurationException("credential must be token or certificate, not " + shown(id));
        }
    }

    public Tenant {
        nip = requireNip(nip);
        name = requireName(name);
        if (subjectTypes == null || subjectTypes.isEmpty()) {
            throw new KsefConfigurationException("tenant " + nip + " has no subject type: give one or more of " + String.join(", ", SUBJECT_TYPES));
        }
        subjectTypes = parseSubjectTypes(String.join(",", subjectTypes));
        if (credential == null) {
            throw new KsefConfigurationException("tenant " + nip + " has no credential: token or certificate");
        }
        if (credential == Credential.TOKEN && (sealedToken == null || sealedToken.isBlank())) {
            throw new KsefConfigurationException("tenant " + nip + " logs in with a token but has none stored");
        }
        if (credential == Credential.CERTIFICATE && sealedToken != null) {
            throw new KsefConfigurationException("tenant " + nip + " logs in with the certificate and keeps no token");
        }
        Map<String, String> ordered = new LinkedHashMap<>();
        for (String subjectType : SUBJECT_TYPES) {
            String cron = crons == null ? null : crons.get(subjectType);
            if (cron != null) {
                ordered.put(subjectType, requireCron(cron));
            }
        }
        if (crons != null && crons.size() != ordered.size()) {
            String unknown = crons.keySet().stream().filter(k -> !SUBJECT_TYPES.contains(k)).findFirst().orElse("?");
            throw new KsefConfigurationException("a cron names an unknown subject type " + shown(unknown) + ": use one of "
                    + String.join(", ", SUBJECT_TYPES));
        }
        crons = java.util.Collections.unmodifiableMap(ordered);
        initialFrom = requireInitialFrom(initialFrom);
    }

    /** A new, enabled tenant, not stored yet (no timestamps). */
    public static Tenant of(String nip, String name, List<String> subjectTypes, Credential credential, String sealedToken,
                            Map<String, String> crons, String initialFrom) {
        return new Tenant(nip, name, true, subjectTypes, credential, sealedToken, crons, initialFrom, null, null);
    }

    public Tenant withEnabled(boolean enabled) {
        return new Tenant(nip, name, enabled, subjectTypes, credential, sealedToken, crons, initialFrom, createdAt, updatedAt);
    }

    public Tenant withTimes(Instant createdAt, Instant updatedAt) {
        return new Tenant(nip, name, enabled, subjectTypes, credential, sealedToken, crons, initialFrom, createdAt, updatedAt);
    }

    /** The cron override of {@code subjectType}; empty: {@code ksef.sync.<subjectType>.cron}. */
    public Optional<String> cron(String subjectType) {
        return Optional.ofNullable(crons.get(subjectType));
    }

    @Override
    public String toString() {
        return "Tenant[nip=" + nip + ", name=" + name + ", enabled=" + enabled + ", subjectTypes=" + subjectTypes + ", credential="
                + credential.id() + (sealedToken == null ? "" : ", sealedToken=***") + ", crons=" + crons + ", initialFrom=" + initialFrom + "]";
    }

    /** Ten digits whose last is the checksum of the first nine; surrounding blanks are dropped. */
    public static String requireNip(String value) {
        String nip = value == null ? "" : value.strip();
        if (!Nip.isValid(nip)) {
            throw new KsefConfigurationException(nip.isEmpty() ? "no NIP given (ten digits with a valid checksum)"
                    : shown(nip) + " is not a NIP (ten digits with a valid checksum)");
        }
        return nip;
    }

    /** A tenant's name for people: {@code null} when blank, at most 200 characters on one line. */
    public static String requireName(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String name = value.strip();
        if (name.length() > MAX_NAME || name.chars().anyMatch(Character::isISOControl)) {
            throw new KsefConfigurationException("the name " + shown(name) + " must be one line of at most " + MAX_NAME + " characters");
        }
        return name;
    }

    /** Subject types named exactly as KSeF names them, separated by ',' or ';', each once; returned in KSeF's order. */
    public static List<String> parseSubjectTypes(String list) {
        List<String> types = new ArrayList<>();
        for (String part : (list == null ? "" : list).split("[,;]")) {
            String type = part.strip();
            if (type.isEmpty()) {
                continue;
            }
            if (!SUBJECT_TYPES.contains(type)) {
                throw new KsefConfigurationException("unknown subject type " + shown(type) + ": use one or more of " + String.join(", ", SUBJECT_TYPES));
            }
            if (types.contains(type)) {
                throw new KsefConfigurationException("subject type " + type + " is named twice");
            }
            types.add(type);
        }
        if (types.isEmpty()) {
            throw new KsefConfigurationException("no subject type given: use one or more of " + String.join(", ", SUBJECT_TYPES));
        }
        types.sort(Comparator.comparingInt(SUBJECT_TYPES::indexOf));
        return List.copyOf(types);
    }

    /** Where the first sync starts: an ISO-8601 instant with its offset or a duration back from now; {@code null} when blank. */
    public static String requireInitialFrom(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String from = value.strip();
        try {
            if (from.length() <= MAX_INITIAL_FROM) {
                if (from.startsWith("P") || from.startsWith("p")) {
                    if (!Duration.parse(from).isNegative()) {
                        return from;
                    }
                } else {
                    OffsetDateTime.parse(from);
                    return from;
                }
            }
        } catch (DateTimeParseException e) {
            // reported below
        }
        throw new KsefConfigurationException("initial-from " + shown(from)
                + " is neither an ISO-8601 instant such as 2026-01-01T00:00:00Z nor a duration back from now such as P30D");
    }

    /** A Quartz cron expression (seconds first). */
    public static String requireCron(String value) {
        String cron = value == null ? "" : value.strip();
        if (cron.length() > MAX_CRON || !CronExpression.isValidExpression(cron)) {
            throw new KsefConfigurationException("cron " + shown(cron)
                    + " is not a Quartz cron expression such as 0 0/15 * * * ? (seconds minutes hours day month weekday)");
        }
        return cron;
    }

    /** A {@code <SubjectType>=<cron>} override, as one entry. */
    public static Map.Entry<String, String> parseCronOverride(String value) {
        int eq = value == null ? -1 : value.indexOf('=');
        if (eq < 0) {
            throw new KsefConfigurationException("cron override " + shown(value == null ? "" : value) + " must be <SubjectType>=<cron>, "
                    + "such as Subject1=0 0/15 * * * ?");
        }
        String subjectType = value.substring(0, eq).strip();
        if (!SUBJECT_TYPES.contains(subjectType)) {
            throw new KsefConfigurationException("cron override names an unknown subject type " + shown(subjectType) + ": use one of "
                    + String.join(", ", SUBJECT_TYPES));
        }
        return Map.entry(subjectType, requireCron(value.substring(eq + 1)));
    }

    /** A value in quotes on one short line: control characters as '?', cut after 60 characters. */
    static String shown(String value) {
        String line = String.valueOf(value).replaceAll("\\p{Cntrl}", "?");
        return "'" + (line.length() > 60 ? line.substring(0, 60) + "..." : line) + "'";
    }
}
