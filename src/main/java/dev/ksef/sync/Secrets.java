package dev.ksef.sync;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The secrets of the bundle: the KSeF token, the login certificate's key password, the store key and the database and
 * broker passwords. They are read here, from explicit settings (embedding code, tests), {@code -Dkey=value}, the
 * environment ({@code KSEF_TOKEN}, {@code KSEF_AUTH_KEY_PASSWORD}, ...) or a
 * file ({@code ksef.token-file}), and never through Camel's property placeholders, whose DEBUG log prints the value of
 * every property it resolves. Nothing here is printed.
 */
public final class Secrets {

    public static final List<String> KEYS = List.of("ksef.token", "ksef.store.key", "ksef.db.password", "ksef.jms.password",
            "ksef.auth.key-password");

    private final Map<String, String> given;

    public Secrets(Map<String, String> given) {
        this.given = Map.copyOf(given);
    }

    /** The value of a secret key, or "" when none is set. */
    public String get(String key) {
        if (!KEYS.contains(key)) {
            throw new IllegalArgumentException(key + " is not a secret setting");
        }
        String value = given.get(key);
        if (value == null) {
            value = System.getProperty(key);
        }
        if (value == null) {
            value = System.getenv(key.toUpperCase(java.util.Locale.ROOT).replace('.', '_').replace('-', '_'));
        }
        return value == null ? "" : value.strip();
    }

    /** The KSeF token: the first line of {@code tokenFile} when one is named, else {@code ksef.token}. */
    public String ksefToken(String tokenFile) {
        if (tokenFile != null && !tokenFile.isBlank()) {
            try {
                return Files.readString(Path.of(tokenFile.strip()), StandardCharsets.UTF_8).lines().findFirst().orElse("").strip();
            } catch (IOException e) {
                throw new KsefConfigurationException("ksef.token-file: cannot read " + tokenFile.strip() + " (" + e.getClass().getSimpleName() + ")");
            }
        }
        return get("ksef.token");
    }

    /** The settings without the secrets, for Camel's properties. */
    public static Map<String, String> withoutSecrets(Map<String, String> settings) {
        Map<String, String> plain = new HashMap<>(settings);
        KEYS.forEach(plain::remove);
        return plain;
    }

    @Override
    public String toString() {
        return "Secrets[***]";
    }
}
