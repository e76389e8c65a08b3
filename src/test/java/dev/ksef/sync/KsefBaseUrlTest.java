package dev.ksef.sync;

import dev.ksef.sync.app.SyncApp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;

import org.junit.jupiter.api.Test;

class KsefBaseUrlTest {

    @Test
    void httpsEverywherePlainHttpOnlyOnLoopback() {
        assertEquals("https://api.ksef.mf.gov.pl/v2", KsefBaseUrl.require("https://api.ksef.mf.gov.pl/v2"));
        assertEquals("http://127.0.0.1:8080/v2", KsefBaseUrl.require("http://127.0.0.1:8080/v2"));
        assertEquals("http://localhost:8080/v2", KsefBaseUrl.require("http://localhost:8080/v2"));
        assertThrows(KsefConfigurationException.class, () -> KsefBaseUrl.require("http://api.ksef.mf.gov.pl/v2"));
        assertThrows(KsefConfigurationException.class, () -> KsefBaseUrl.require("http://10.0.0.5/v2"));
        assertThrows(KsefConfigurationException.class, () -> KsefBaseUrl.require("ftp://127.0.0.1/v2"));
    }

    @Test
    void theBundleDoesNotStartOnPlainHttpToAnotherHost(@TempDir Path dataDir) {
        Exception refused = assertThrows(Exception.class, () -> SyncApp.start(Map.of("ksef.base-url", "http://api.ksef.mf.gov.pl/v2",
                "ksef.nip", "5265877635", "ksef.token", "t", "ksef.data-dir", dataDir.toString()), false).close());
        Throwable cause = refused;
        while (cause.getCause() != null && !(cause instanceof KsefConfigurationException)) {
            cause = cause.getCause();
        }
        assertTrue(String.valueOf(cause.getMessage()).contains("ksef.base-url must be https://"), String.valueOf(refused));
    }
}
