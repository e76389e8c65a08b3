package dev.ksef.sync.crypto;

import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * KSeF number: {@code NIP-YYYYMMDD-12HEX-CC}, where CC is CRC-8 (polynomial 0x07, initial value 0, no reflection,
 * no final XOR) over the ASCII bytes of the first 32 characters, as two upper-case hex digits.
 */
public final class KsefNumber {

    private static final Pattern FORMAT = Pattern.compile(
            "^[1-9]((\\d[1-9])|([1-9]\\d))\\d{7}-(\\d{8})-[0-9A-F]{12}-[0-9A-F]{2}$");
    private static final DateTimeFormatter DAY = DateTimeFormatter.BASIC_ISO_DATE;

    private KsefNumber() {
    }

    /** True when the number has the 35-character shape, a real date and a matching checksum. */
    public static boolean isValid(String number) {
        if (number == null || number.length() != 35 || !FORMAT.matcher(number).matches()) {
            return false;
        }
        try {
            LocalDate.parse(number.substring(11, 19), DAY);
        } catch (DateTimeParseException e) {
            return false;
        }
        return checksum(number.substring(0, 32)).equals(number.substring(33));
    }

    /** Builds a valid number from its parts; {@code technical} is 12 hex digits. */
    public static String of(String nip, LocalDate date, String technical) {
        String body = nip + "-" + DAY.format(date) + "-" + technical.toUpperCase(Locale.ROOT);
        if (body.length() != 32) {
            throw new IllegalArgumentException("a KSeF number body is 32 characters, got " + body.length());
        }
        return body + "-" + checksum(body);
    }

    /** CRC-8/SMBUS of the ASCII bytes, as two upper-case hex digits. */
    public static String checksum(String text) {
        return String.format("%02X", crc8(text.getBytes(StandardCharsets.US_ASCII)));
    }

    static int crc8(byte[] data) {
        int crc = 0;
        for (byte b : data) {
            crc ^= b & 0xFF;
            for (int bit = 0; bit < 8; bit++) {
                crc = (crc & 0x80) != 0 ? ((crc << 1) ^ 0x07) & 0xFF : (crc << 1) & 0xFF;
            }
        }
        return crc;
    }
}
