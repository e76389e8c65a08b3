package dev.ksef.sync.host;

import dev.ksef.sync.auth.xades.SelfSignedCertificates;
import dev.ksef.sync.auth.xades.SigningCredential;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import org.apache.camel.CamelContext;
import org.apache.camel.main.Main;

/**
 * A platform team's camel-main application with the KSeF bundle on its classpath, configured by
 * {@code classpath:host/application.properties} and its route folder only: no Java configuration, no bundle class
 * named anywhere but in configuration. The environment-specific values arrive as overrides.
 */
final class PlatformHost implements AutoCloseable {

    static final String BROKER_USER = "platform";
    static final String BROKER_PASSWORD = "platform-broker-password";

    private final Main main = new Main();

    private PlatformHost(Map<String, String> environment) {
        main.setPropertyPlaceholderLocations("classpath:host/application.properties");
        Properties overrides = new Properties();
        overrides.putAll(environment);
        main.setOverrideProperties(overrides);
    }

    static PlatformHost start(Map<String, String> environment) throws Exception {
        PlatformHost host = new PlatformHost(environment);
        host.main.start();
        return host;
    }

    /**
     * What the platform's environment gives the host: its database and broker URLs, the KSeF URL, the login certificate
     * and its (unencrypted, file-protected) PEM key for {@code nip}, the spool directory; all under {@code dir}.
     */
    static Map<String, String> environment(Path dir, String nip, String ksefBaseUrl, int brokerPort) throws Exception {
        Instant now = Instant.now();
        SigningCredential seal = SelfSignedCertificates.create(nip, SelfSignedCertificates.Type.SEAL, SelfSignedCertificates.KeyKind.EC,
                now.minus(Duration.ofHours(1)), now.plus(Duration.ofDays(30)));
        Path certificate = dir.resolve("seal.crt");
        Path key = dir.resolve("seal.key");
        Files.writeString(certificate, pem("CERTIFICATE", seal.certificate().getEncoded()));
        Files.writeString(key, pem("PRIVATE KEY", seal.privateKey().getEncoded()));
        Map<String, String> environment = new HashMap<>();
        environment.put("platform.db.url", "jdbc:h2:file:" + dir.resolve("platform-db").toAbsolutePath() + ";DB_CLOSE_ON_EXIT=FALSE");
        environment.put("platform.broker.url", "tcp://127.0.0.1:" + brokerPort);
        environment.put("platform.broker.user", BROKER_USER);
        environment.put("platform.broker.password", BROKER_PASSWORD);
        environment.put("platform.ksef.base-url", ksefBaseUrl);
        environment.put("platform.ksef.certificate", certificate.toString());
        environment.put("platform.ksef.private-key", key.toString());
        environment.put("platform.spool-dir", dir.resolve("spool").toString());
        return environment;
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    CamelContext context() {
        return main.getCamelContext();
    }

    @Override
    public void close() {
        main.stop();
        main.shutdown();
    }
}
