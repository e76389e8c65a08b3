package dev.ksef.sync.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import org.junit.jupiter.api.Test;

class ExportTrackerTest {

    @Test
    void failureDescriptionDropsTheSignatureOfPartLinks() {
        String described = ExportTracker.describe(new IllegalStateException(
                "HTTP operation failed invoking https://host/storage/x/p-001.zip.aes?sv=1&se=2&sig=AbC%2Fd%3D with statusCode: 403"));
        assertFalse(described.contains("sig="), described);
        assertEquals("IllegalStateException: HTTP operation failed invoking https://host/storage/x/p-001.zip.aes?… with statusCode: 403", described);
    }
}
