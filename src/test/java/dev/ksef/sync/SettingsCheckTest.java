package dev.ksef.sync;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Each mistake in a setting is one line that names the key and the form it takes; the shipped defaults pass. */
class SettingsCheckTest {

    static Map<String, String> defaults() throws Exception {
        Properties p = new Properties();
        try (InputStream in = SettingsCheckTest.class.getResourceAsStream(KsefSync.DEFAULTS)) {
            p.load(in);
        }
        Map<String, String> settings = new HashMap<>();
        p.stringPropertyNames().forEach(k -> settings.put(k, p.getProperty(k)));
        return settings;
    }

    @Test
    void theShippedDefaultsPass() throws Exception {
        Map<String, String> settings = defaults();
        assertDoesNotThrow(() -> SettingsCheck.bundle(settings::get));
        settings.put("ksef.nip", "5265877635");
        settings.put("ksef.package.check-threads", "4");
        settings.put("ksef.export.compression", "TarGz");
        settings.put("ksef.metrics.per-nip", "lag");
        assertDoesNotThrow(() -> SettingsCheck.bundle(settings::get));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "ksef.nip                         | 5265877636   | ksef.nip must be a NIP (ten digits with a valid checksum), not '5265877636'",
            "ksef.nip                         | 526-587-76-35 | ksef.nip must be a NIP",
            "ksef.base-url                    | http://api.ksef.mf.gov.pl/v2 | ksef.base-url must be https://",
            "ksef.sync.initial-from           | yesterday    | ksef.sync.initial-from must be an ISO-8601 instant such as 2026-01-01T00:00:00Z or a duration back from now such as P30D, not 'yesterday'",
            "ksef.sync.initial-from           | 2026-01-01   | ksef.sync.initial-from must be an ISO-8601 instant",
            "ksef.sync.initial-from           | P-3D         | ksef.sync.initial-from must be",
            "ksef.export.deadline             | 2h           | ksef.export.deadline must be an ISO-8601 duration such as PT2H, PT30M or P1D (not negative), not '2h'",
            "ksef.export.deadline             | -PT1H        | ksef.export.deadline must be an ISO-8601 duration",
            "ksef.auth.refresh-margin         | soon         | ksef.auth.refresh-margin must be an ISO-8601 duration such as PT2H, PT30M or P1D, not 'soon'",
            "ksef.rate.max-wait               | ''           | ksef.rate.max-wait must be an ISO-8601 duration",
            "ksef.package.link-max-age        | 45m          | ksef.package.link-max-age must be",
            "ksef.export.poll-interval-ms     | 2s           | ksef.export.poll-interval-ms must be a whole number from 1 to 2147483647, not '2s'",
            "ksef.export.max-in-flight        | 0            | ksef.export.max-in-flight must be a whole number from 1 to",
            "ksef.export.compression          | tar.gz       | ksef.export.compression must be one of Zip, TarGz, not 'tar.gz'",
            "ksef.metrics.per-nip             | none         | ksef.metrics.per-nip must be one of all, lag, not 'none'",
            "ksef.export.max-replacements     | -1           | ksef.export.max-replacements must be a whole number from 0 to",
            "ksef.publish.batch-size          | 99999999999  | ksef.publish.batch-size must be a whole number from 1 to 2147483647",
            "ksef.publish.batch-max-bytes     | 16MB         | ksef.publish.batch-max-bytes must be a whole number of at least 1, not '16MB'",
            "ksef.package.max-invoice-bytes   | 4294967296   | ksef.package.max-invoice-bytes must be a whole number from 1 to 2147483639",
            "ksef.package.check-threads       | all          | ksef.package.check-threads must be a whole number from 1 to 1024, not 'all'",
            "ksef.retry.max-redeliveries      | five         | ksef.retry.max-redeliveries must be a whole number",
            "ksef.http.response-timeout-ms    | 1.5          | ksef.http.response-timeout-ms must be a whole number",
            "ksef.rate.invoiceExport          | 8/16         | ksef.rate.invoiceExport must be calls per second/minute/hour such as 8/16/20 (0 = no limit), not '8/16'",
            "ksef.rate.auth                   | 60/0/x       | ksef.rate.auth must be calls per second/minute/hour",
            "ksef.rate.other                  | 10/30/120/1  | ksef.rate.other must be calls per second/minute/hour",
    })
    void aBadValueIsOneLineNamingTheKeyAndTheFormItTakes(String key, String value, String expected) throws Exception {
        Map<String, String> settings = defaults();
        settings.put(key, value);
        KsefConfigurationException e = assertThrows(KsefConfigurationException.class, () -> SettingsCheck.bundle(settings::get));
        assertTrue(e.getMessage().startsWith(expected), e.getMessage());
        assertEquals(1, e.getMessage().lines().count(), e.getMessage());
    }

    @Test
    void aRequiredNipSaysHowToSetIt() {
        SettingsCheck empty = new SettingsCheck(key -> null);
        KsefConfigurationException e = assertThrows(KsefConfigurationException.class, () -> empty.nip("ksef.nip"));
        assertEquals("ksef.nip is not set: give the company's NIP, ten digits (KSEF_NIP=... or -Dksef.nip=...)", e.getMessage());
        assertEquals("5265877635", new SettingsCheck(key -> " 5265877635 ").nip("ksef.nip"));
    }

    @Test
    void valuesThatParse() {
        Map<String, String> s = Map.of("a", "PT0S", "b", "-PT5M", "c", "2026-01-01T00:00:00+01:00", "d", "P30D", "e", "0/0/0",
                "f", " 8 / 16 / 20 ", "g", "0 0/15 * * * ?");
        SettingsCheck check = new SettingsCheck(s::get);
        assertEquals(Duration.ZERO, check.duration("a", false));
        assertEquals(Duration.ofMinutes(-5), check.duration("b", true));
        check.instantOrDuration("c");
        check.instantOrDuration("d");
        check.rate("e");
        check.rate("f");
        check.cron("g");
    }

    @Test
    void subjectTypesAreTheFourKnownNamesEachOnce() {
        assertEquals(List.of("Subject2", "SubjectAuthorized"), new SettingsCheck(k -> " Subject2, SubjectAuthorized ,").subjectTypes("t"));
        assertEquals("t names an unknown subject type 'subject1': use a comma list of Subject1, Subject2, Subject3, SubjectAuthorized",
                assertThrows(KsefConfigurationException.class, () -> new SettingsCheck(k -> "subject1").subjectTypes("t")).getMessage());
        assertEquals("t names Subject1 twice",
                assertThrows(KsefConfigurationException.class, () -> new SettingsCheck(k -> "Subject1,Subject1").subjectTypes("t")).getMessage());
        assertTrue(assertThrows(KsefConfigurationException.class, () -> new SettingsCheck(k -> " , ").subjectTypes("t"))
                .getMessage().startsWith("t is empty"));
    }

    @Test
    void aCronExpressionIsQuartzs() {
        KsefConfigurationException e = assertThrows(KsefConfigurationException.class,
                () -> new SettingsCheck(k -> "*/15 * * * *").cron("ksef.sync.Subject1.cron"));
        assertTrue(e.getMessage().startsWith("ksef.sync.Subject1.cron must be a Quartz cron expression such as 0 0/15 * * * ?"), e.getMessage());
    }

    @Test
    void aShownValueStaysOnOneShortLine() {
        KsefConfigurationException e = assertThrows(KsefConfigurationException.class,
                () -> new SettingsCheck(k -> "12\n34" + "x".repeat(200)).integer("k", 0, 10));
        assertEquals(1, e.getMessage().lines().count(), e.getMessage());
        assertTrue(e.getMessage().endsWith("not '12?34" + "x".repeat(55) + "...'"), e.getMessage());
    }

    @Test
    void theStoreKeyIsNeverShown() {
        SettingsCheck.storeKey("");
        SettingsCheck.storeKey(java.util.Base64.getEncoder().encodeToString(new byte[32]));
        for (String bad : List.of("c2VjcmV0LXN0b3JlLWtleQ==", "not base64 at all!")) {
            KsefConfigurationException e = assertThrows(KsefConfigurationException.class, () -> SettingsCheck.storeKey(bad));
            assertTrue(e.getMessage().startsWith("ksef.store.key must be 32 bytes in base64"), e.getMessage());
            assertFalse(e.getMessage().contains(bad), "the secret is not in the message");
        }
    }
}
