package dev.ksef.sync.app;

import dev.ksef.sync.KsefConfigurationException;
import dev.ksef.sync.LoginSettings;
import dev.ksef.sync.Secrets;
import dev.ksef.sync.SettingsCheck;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.function.Function;

/**
 * The application's settings, all checked before Camel starts and before anything is written: the NIP (when set: a
 * configured context besides the tenants), the library's settings ({@link SettingsCheck#bundle}), the subject types and their
 * cron expressions, the data directory, the database and embedded broker settings, the store key, and last the login
 * credential (its files opened, its password tried). The first mistake is one {@link KsefConfigurationException} line.
 */
final class Preflight {

    private Preflight() {
    }

    static void check(Function<String, String> settings, Secrets secrets, Instant now) {
        SettingsCheck s = new SettingsCheck(settings);
        // a KSeF token belongs to one context: given without ksef.nip it is a mistake (tenants keep theirs in the database)
        boolean configuredContext = !s.value("ksef.nip").isEmpty() || !secrets.ksefToken(s.value("ksef.token-file")).isEmpty();
        if (configuredContext) {
            s.nip("ksef.nip"); // else the contexts are the tenants of the database
        }
        SettingsCheck.bundle(settings);
        for (String subjectType : s.subjectTypes("ksef.subject-types")) {
            s.cron("ksef.sync." + subjectType + ".cron");
        }
        dataDirectory(s.value("ksef.data-dir"));
        s.integer("ksef.db.connection-timeout-ms", 250, Integer.MAX_VALUE); // the pool refuses less
        if (s.value("ksef.jms.broker-url").isEmpty()) {
            s.integer("ksef.jms.embedded-port", 1, 65535);
            if (!s.value("ksef.jms.embedded-memory-bytes").isEmpty()) {
                s.integer("ksef.jms.embedded-memory-bytes", 1 << 20, Long.MAX_VALUE);
            }
            s.integer("ksef.jms.embedded-page-bytes", 1024, Integer.MAX_VALUE);
        }
        SettingsCheck.storeKey(secrets.get("ksef.store.key"));
        if (configuredContext || !s.value("ksef.auth.certificate").isEmpty()) {
            LoginSettings.credential(settings, secrets, now); // the tenants' certificate is tried too
        }
    }

    /** The directory may not exist yet (it is made at start), but nothing else may stand in its place. */
    private static void dataDirectory(String value) {
        Path dir;
        try {
            dir = Path.of(value.isEmpty() ? "./data" : value);
        } catch (InvalidPathException e) {
            throw new KsefConfigurationException("ksef.data-dir is not a path: " + e.getReason());
        }
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new KsefConfigurationException("ksef.data-dir " + dir.toAbsolutePath() + " is a file, not a directory: name a directory "
                    + "(it is created at the first start)");
        }
    }
}
