package dev.ksef.sync;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.function.Function;
import org.quartz.CronExpression;

/**
 * The bundle's settings checked before anything uses them: a mistake is one {@link KsefConfigurationException} line
 * that names the key and the form it takes, instead of a {@code NumberFormatException} deep inside a route. The
 * library checks its own keys when its beans are created ({@link #bundle}); the application checks those and its own
 * before anything starts or touches the disk. Secret values are never shown; other values are, cut to one short line.
 */
public final class SettingsCheck {

    public static final List<String> SUBJECT_TYPES = List.of("Subject1", "Subject2", "Subject3", "SubjectAuthorized");
    public static final List<String> RATE_GROUPS = List.of("invoiceExport", "invoiceExportStatus", "invoiceDownload", "invoiceMetadata", "auth", "other");
    private static final long INT = Integer.MAX_VALUE;

    private final Function<String, String> settings;

    /** @param settings a setting's value, or null / "" when it is not set */
    public SettingsCheck(Function<String, String> settings) {
        this.settings = settings;
    }

    /** Every setting the library's beans parse: the NIP when set, the base URL, instants, durations, numbers, rate budgets. */
    public static void bundle(Function<String, String> settings) {
        SettingsCheck s = new SettingsCheck(settings);
        if (!s.value("ksef.nip").isEmpty()) {
            s.nip("ksef.nip");
        }
        KsefBaseUrl.require(s.value("ksef.base-url"));
        s.instantOrDuration("ksef.sync.initial-from");
        s.duration("ksef.auth.refresh-margin", true);
        s.integer("ksef.auth.first-poll-delay-ms", 0, INT);
        s.integer("ksef.auth.poll-interval-ms", 0, INT);
        s.integer("ksef.auth.max-poll-interval-ms", 0, INT);
        s.integer("ksef.export.first-poll-delay-ms", 0, INT);
        s.integer("ksef.export.poll-interval-ms", 1, INT);
        s.integer("ksef.export.polls-per-doubling", 1, INT);
        s.integer("ksef.export.max-poll-interval-ms", 1, INT);
        s.duration("ksef.export.deadline", false);
        s.integer("ksef.export.max-replacements", 0, INT);
        s.integer("ksef.export.max-in-flight", 1, INT);
        s.oneOf("ksef.export.compression", List.of("Zip", "TarGz"));
        s.oneOf("ksef.metrics.per-nip", List.of("all", "lag"));
        for (String group : RATE_GROUPS) {
            s.rate("ksef.rate." + group);
        }
        s.duration("ksef.rate.max-wait", false);
        s.integer("ksef.retry.max-redeliveries", 0, INT);
        s.integer("ksef.retry.initial-delay-ms", 0, INT);
        s.integer("ksef.retry.max-delay-ms", 0, INT);
        s.integer("ksef.http.connect-timeout-ms", 0, INT);
        s.integer("ksef.http.response-timeout-ms", 0, INT);
        s.duration("ksef.package.link-max-age", false);
        s.integer("ksef.package.part-attempts", 1, INT);
        s.integer("ksef.package.part-retry-delay-ms", 0, INT);
        s.integer("ksef.package.max-package-bytes", 1, Long.MAX_VALUE);
        s.integer("ksef.package.max-invoice-bytes", 1, INT - 8); // read into one array
        if (!s.value("ksef.package.check-threads").isEmpty()) {
            s.integer("ksef.package.check-threads", 1, 1024);
        }
        s.integer("ksef.publish.batch-size", 1, INT);
        s.integer("ksef.publish.batch-max-bytes", 1, Long.MAX_VALUE);
        s.integer("ksef.metadata.page-size", 10, 250);
        s.integer("ksef.reconcile.days", 1, 90);
        s.cron("ksef.reconcile.cron");
        if (!s.value("ksef.requests.queue").isEmpty() && s.value("ksef.requests.failed-queue").isEmpty()) {
            throw new KsefConfigurationException("ksef.requests.failed-queue must name a JMS queue for requests that cannot be served "
                    + "(ksef.requests.queue is set)");
        }
        s.integer("ksef.requests.reconnect-delay-ms", 0, INT);
    }

    /** The value, stripped; "" when not set. */
    public String value(String key) {
        String value = settings.apply(key);
        return value == null ? "" : value.strip();
    }

    /** Ten digits whose last is the checksum of the first nine. */
    public String nip(String key) {
        String nip = value(key);
        if (nip.isEmpty()) {
            throw new KsefConfigurationException(key + " is not set: give the company's NIP, ten digits (" + howToSet(key) + ")");
        }
        if (!Nip.isValid(nip)) {
            throw new KsefConfigurationException(key + " must be a NIP (ten digits with a valid checksum), not " + shown(nip));
        }
        return nip;
    }

    /** A whole number from {@code min} to {@code max}. */
    public long integer(String key, long min, long max) {
        String value = value(key);
        try {
            long n = Long.parseLong(value);
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw invalid(key, max == Long.MAX_VALUE ? "a whole number of at least " + min : "a whole number from " + min + " to " + max, value);
    }

    /** An ISO-8601 duration such as {@code PT2H}; negative only when {@code negativeAllowed}. */
    public Duration duration(String key, boolean negativeAllowed) {
        String value = value(key);
        try {
            Duration d = Duration.parse(value);
            if (negativeAllowed || !d.isNegative()) {
                return d;
            }
        } catch (DateTimeParseException e) {
            // reported below
        }
        throw invalid(key, "an ISO-8601 duration such as PT2H, PT30M or P1D" + (negativeAllowed ? "" : " (not negative)"), value);
    }

    /** An ISO-8601 instant with its offset, or a duration back from now. */
    public void instantOrDuration(String key) {
        String value = value(key);
        try {
            if (value.startsWith("P") || value.startsWith("p")) {
                if (!Duration.parse(value).isNegative()) {
                    return;
                }
            } else {
                OffsetDateTime.parse(value);
                return;
            }
        } catch (DateTimeParseException e) {
            // reported below
        }
        throw invalid(key, "an ISO-8601 instant such as 2026-01-01T00:00:00Z or a duration back from now such as P30D", value);
    }

    /** Calls per second, minute and hour: three whole numbers, 0 for no limit in that window. */
    public void rate(String key) {
        String value = value(key);
        String[] parts = value.split("/", -1);
        boolean valid = parts.length == 3;
        for (int i = 0; valid && i < 3; i++) {
            valid = parts[i].strip().matches("\\d{1,9}");
        }
        if (!valid) {
            throw invalid(key, "calls per second/minute/hour such as 8/16/20 (0 = no limit)", value);
        }
    }

    /** One of {@code values}, spelt exactly so. */
    public String oneOf(String key, List<String> values) {
        String value = value(key);
        if (!values.contains(value)) {
            throw invalid(key, "one of " + String.join(", ", values), value);
        }
        return value;
    }

    /** A comma list of KSeF's subject types, each once. */
    public List<String> subjectTypes(String key) {
        List<String> types = new ArrayList<>();
        for (String type : value(key).split(",")) {
            String name = type.strip();
            if (name.isEmpty()) {
                continue;
            }
            if (!SUBJECT_TYPES.contains(name)) {
                throw new KsefConfigurationException(key + " names an unknown subject type " + shown(name) + ": use a comma list of "
                        + String.join(", ", SUBJECT_TYPES));
            }
            if (types.contains(name)) {
                throw new KsefConfigurationException(key + " names " + name + " twice");
            }
            types.add(name);
        }
        if (types.isEmpty()) {
            throw new KsefConfigurationException(key + " is empty: give a comma list of " + String.join(", ", SUBJECT_TYPES));
        }
        return types;
    }

    /** A Quartz cron expression (seconds first). */
    public void cron(String key) {
        String value = value(key);
        if (!CronExpression.isValidExpression(value)) {
            throw invalid(key, "a Quartz cron expression such as 0 0/15 * * * ? (seconds minutes hours day month weekday)", value);
        }
    }

    /** {@code ksef.store.key}, a secret: 32 bytes in base64 when set. The value is never shown. */
    public static void storeKey(String value) {
        if (value == null || value.isBlank()) {
            return;
        }
        try {
            if (Base64.getDecoder().decode(value.strip()).length == 32) {
                return;
            }
        } catch (IllegalArgumentException e) {
            // reported below
        }
        throw new KsefConfigurationException("ksef.store.key must be 32 bytes in base64 (e.g. from openssl rand -base64 32); "
                + "the value set in KSEF_STORE_KEY or -Dksef.store.key is not");
    }

    /** The environment variable and the system property that set {@code key}. */
    public static String howToSet(String key) {
        return key.toUpperCase(java.util.Locale.ROOT).replace('.', '_').replace('-', '_') + "=... or -D" + key + "=...";
    }

    private static KsefConfigurationException invalid(String key, String form, String value) {
        return new KsefConfigurationException(key + " must be " + form + ", not " + shown(value));
    }

    /** A value in quotes on one short line: control characters as '?', cut after 60 characters. */
    private static String shown(String value) {
        String line = value.replaceAll("\\p{Cntrl}", "?");
        return "'" + (line.length() > 60 ? line.substring(0, 60) + "..." : line) + "'";
    }
}
