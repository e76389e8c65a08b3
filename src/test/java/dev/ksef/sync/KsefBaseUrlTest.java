package dev.ksef.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class KsefBaseUrlTest {

    @Test
    void httpsEverywherePlainHttpOnlyOnLoopback() {
        assertEquals("https://api.ksef.mf.gov.pl/v2", KsefBaseUrl.require("https://api.ksef.mf.gov.pl/v2"));
        assertEquals("http://127.0.0.1:8080/v2", KsefBaseUrl.require("http://127.0.0.1:8080/v2"));
        assertEquals("http://localhost:8080/v2", KsefBaseUrl.require("http://localhost:8080/v2"));
        assertThrows(IllegalArgumentException.class, () -> KsefBaseUrl.require("http://api.ksef.mf.gov.pl/v2"));
        assertThrows(IllegalArgumentException.class, () -> KsefBaseUrl.require("http://10.0.0.5/v2"));
        assertThrows(IllegalArgumentException.class, () -> KsefBaseUrl.require("ftp://127.0.0.1/v2"));
    }
}
