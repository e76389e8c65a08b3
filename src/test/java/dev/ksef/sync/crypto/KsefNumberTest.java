package dev.ksef.sync.crypto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDate;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class KsefNumberTest {

    @ParameterizedTest
    @ValueSource(strings = {"5265877635-20250826-0100001AF629-AF", "5555555555-20250828-010080615740-E4",
            "7335255579-20251210-010060EFFF52-72"})
    void acceptsNumbersIssuedByKsef(String number) {
        assertTrue(KsefNumber.isValid(number));
    }

    @ParameterizedTest
    @ValueSource(strings = {"5265877635-20250826-0100001AF629-AE", "5265877635-20250826-0100001af629-AF",
            "0265877635-20250826-0100001AF629-AF", "5265877635-20251326-0100001AF629-AF", "5265877635-20250826-0100001AF629",
            "5265877635-20250826-0100001AF62-9AF", ""})
    void rejectsWrongChecksumCaseShapeOrDate(String number) {
        assertFalse(KsefNumber.isValid(number));
    }

    @Test
    void buildsNumbersThatValidate() {
        String number = KsefNumber.of("5265877635", LocalDate.of(2025, 8, 26), "0100001af629");
        assertEquals("5265877635-20250826-0100001AF629-AF", number);
    }

    @Test
    void referenceNumberChecksumMatchesKsefExamples() {
        assertEquals("89", KsefNumber.checksum("20251010-EH-1B6C9EB000-4B15D3AEB9"));
        assertEquals("D4", KsefNumber.checksum("20250514-AU-2DFC46C000-3AC6D5877F"));
    }
}
