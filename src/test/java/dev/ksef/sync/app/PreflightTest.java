package dev.ksef.sync.app;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ksef.sync.KsefConfigurationException;
import dev.ksef.sync.Secrets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The application's settings checked before it starts: the first mistake is one line naming the key; nothing is written. */
class PreflightTest {

    @TempDir
    Path workDir;

    Map<String, String> settings;

    @BeforeEach
    void validSettings() throws Exception {
        settings = new HashMap<>();
        Properties defaults = Application.settings();
        defaults.stringPropertyNames().forEach(k -> settings.put(k, defaults.getProperty(k)));
        settings.put("ksef.nip", "5265877635");
        settings.put("ksef.data-dir", workDir.resolve("data").toString());
    }

    private void check() {
        Preflight.check(settings::get, new Secrets(Map.of("ksef.token", "a KSeF token")), Instant.now());
    }

    private String error() {
        KsefConfigurationException e = assertThrows(KsefConfigurationException.class, this::check);
        assertEquals(1, e.getMessage().lines().count(), e.getMessage());
        return e.getMessage();
    }

    @Test
    void validSettingsPassAndNothingIsWritten() throws Exception {
        assertDoesNotThrow(this::check);
        try (var files = Files.list(workDir)) {
            assertEquals(0, files.count(), "no data directory, database or journal");
        }
    }

    @Test
    void theNipIsRequiredAndComesFirst() {
        settings.remove("ksef.nip");
        settings.put("ksef.subject-types", "Subject9");
        assertEquals("ksef.nip is not set: give the company's NIP, ten digits (KSEF_NIP=... or -Dksef.nip=...)", error());
        settings.put("ksef.nip", "1234567890");
        assertEquals("ksef.nip must be a NIP (ten digits with a valid checksum), not '1234567890'", error());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "ksef.subject-types              | Subject1,Subject5 | ksef.subject-types names an unknown subject type 'Subject5'",
            "ksef.sync.Subject2.cron         | every 15 minutes  | ksef.sync.Subject2.cron must be a Quartz cron expression",
            "ksef.jms.embedded-port          | 70000             | ksef.jms.embedded-port must be a whole number from 1 to 65535, not '70000'",
            "ksef.jms.embedded-memory-bytes  | 64MB              | ksef.jms.embedded-memory-bytes must be a whole number of at least 1048576, not '64MB'",
            "ksef.jms.embedded-page-bytes    | 0                 | ksef.jms.embedded-page-bytes must be a whole number from 1024 to",
            "ksef.db.connection-timeout-ms   | 100               | ksef.db.connection-timeout-ms must be a whole number from 250 to",
            "ksef.export.deadline            | 2 hours           | ksef.export.deadline must be an ISO-8601 duration",
            "ksef.base-url                   | http://10.1.2.3/v2 | ksef.base-url must be https://",
    })
    void aBadSettingIsOneLineNamingIt(String key, String value, String expected) {
        settings.put(key, value);
        String message = error();
        assertTrue(message.startsWith(expected), message);
    }

    @Test
    void aCronOfASubjectTypeNotSyncedIsNotLookedAt() {
        settings.put("ksef.subject-types", "Subject1");
        settings.put("ksef.sync.Subject3.cron", "never");
        assertDoesNotThrow(this::check);
    }

    @Test
    void embeddedBrokerSettingsDoNotMatterWithAnExternalBroker() {
        settings.put("ksef.jms.broker-url", "tcp://artemis:61616");
        settings.put("ksef.jms.embedded-port", "none");
        assertDoesNotThrow(this::check);
    }

    @Test
    void aFileWhereTheDataDirectoryShouldBe() throws Exception {
        Path file = Files.writeString(workDir.resolve("data"), "not a directory");
        assertTrue(error().startsWith("ksef.data-dir " + file.toAbsolutePath() + " is a file, not a directory"));
    }

    @Test
    void theStoreKeyAndTheCredentialComeFromTheSecrets() {
        KsefConfigurationException badKey = assertThrows(KsefConfigurationException.class, () -> Preflight.check(settings::get,
                new Secrets(Map.of("ksef.token", "a KSeF token", "ksef.store.key", "short")), Instant.now()));
        assertTrue(badKey.getMessage().startsWith("ksef.store.key must be 32 bytes in base64"), badKey.getMessage());
        assertFalse(badKey.getMessage().contains("short"));
        KsefConfigurationException noCredential = assertThrows(KsefConfigurationException.class,
                () -> Preflight.check(settings::get, new Secrets(Map.of()), Instant.now()));
        assertTrue(noCredential.getMessage().startsWith("no KSeF credential"), noCredential.getMessage());
    }
}
