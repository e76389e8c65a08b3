package dev.ksef.sync.health;

/**
 * Text for a health check's message or details, on one line and short: some Camel versions write them into their JSON
 * answer unescaped, so quotes, backslashes and line breaks are replaced.
 */
final class HealthText {

    private static final int MAX = 300;

    private HealthText() {
    }

    static String of(String text) {
        if (text == null) {
            return "";
        }
        String safe = text.replace('"', '\'').replace('\\', '/').replaceAll("\\p{Cntrl}+", " ");
        return safe.length() <= MAX ? safe : safe.substring(0, MAX) + "…";
    }
}
