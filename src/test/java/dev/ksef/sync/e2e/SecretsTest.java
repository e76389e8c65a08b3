package dev.ksef.sync.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ksef.sync.auth.xades.SelfSignedCertificates;
import dev.ksef.sync.simulator.Endpoint;
import dev.ksef.sync.simulator.Fault;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.WriterAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.Configurator;
import org.apache.logging.log4j.core.layout.PatternLayout;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * No token and no key, in any log line (DEBUG included, stack traces included) or any byte under the data directory
 * (H2 files, broker journal, spool), after runs that log in, refresh, retry, resume and fail. Part-link signatures stay
 * out of the logs as well.
 */
class SecretsTest {

    @TempDir
    Path dataDir;

    @Test
    void noTokenOrKeyIsLoggedOrStoredInClear() throws Exception {
        StringWriter log = new StringWriter();
        WriterAppender appender = capture(log);
        try (FaultFixture f = FaultFixture.start(dataDir, FaultFixture.smallParts(), Map.of("ksef.package.part-attempts", "2"))) {
            f.simulator.inject(Endpoint.PART_DOWNLOAD, Fault.htmlPage(), 2);
            assertThrows(Exception.class, f::run); // the export stays RUNNING with its key sealed in the store
            assertEquals(List.of("RUNNING"), f.exportResults());
            Set<String> secrets = f.simulator.secretsIssued();
            assertNoSecretIn(dataDir, secrets, "while an export is stored for resumption");

            f.simulator.inject(Endpoint.EXPORT_STATUS, Fault.httpStatus(401), 1);
            f.simulator.inject(Endpoint.PART_DOWNLOAD, Fault.wrongBytes(), 1);
            f.restart();
            f.run();
            f.assertAllDeliveredOnce();

            secrets = f.simulator.secretsIssued();
            assertTrue(secrets.size() >= 6, "token, auth/access/refresh tokens, refreshed token and the export key: " + secrets.size());
            String logged = log.toString();
            assertTrue(logged.contains("part 1 of export"), "the capture saw the failure logs");
            for (String secret : secrets) {
                for (String line : logged.split("\n")) {
                    assertFalse(line.contains(secret), () -> "a secret is in the log: " + line.replace(secret, "<SECRET>"));
                }
            }
            String brokerPassword = f.harness.login()[1];
            assertFalse(logged.contains(brokerPassword), "the embedded broker's generated password is not logged");
            assertTrue(logged.contains("generated into " + dataDir.resolve("broker-credentials.properties").toAbsolutePath()),
                    "its file is named instead");
            for (String line : logged.split("\n")) {
                assertFalse(line.contains("sig="), () -> "a part-link signature is in the log: " + line.replaceAll("sig=[^&\\s\"]*", "sig=<SIG>"));
            }
            assertNoSecretIn(dataDir, secrets, "after delivery");
            try (Stream<Path> spool = Files.list(dataDir.resolve("spool"))) {
                assertEquals(0, spool.count(), "no spool file left");
            }
        } finally {
            release(appender);
        }
    }

    @Test
    void noKeyPasswordOrPrivateKeyIsLoggedOrStoredInClear(@TempDir Path certificateDir) throws Exception {
        StringWriter log = new StringWriter();
        WriterAppender appender = capture(log);
        String password = "s3cret-key-password-" + System.nanoTime();
        try {
            var now = java.time.Instant.now();
            var seal = SelfSignedCertificates.create("5265877635" /* the simulator's company */, SelfSignedCertificates.Type.SEAL,
                    SelfSignedCertificates.KeyKind.EC, now.minusSeconds(3600), now.plusSeconds(86_400 * 30L));
            var files = SelfSignedCertificates.write(seal, certificateDir, "seal", password.toCharArray());
            Map<String, String> certificateLogin = Map.of("ksef.token", "", "ksef.auth.certificate", files.certificate().toString(),
                    "ksef.auth.private-key", files.privateKey().toString(), "ksef.auth.key-password", password);
            try (FaultFixture f = FaultFixture.start(dataDir, FaultFixture.smallParts(), certificateLogin)) {
                f.run();
                f.simulator.revokeSessions();
                f.simulator.inject(Endpoint.EXPORT_START, Fault.httpStatus(401), 1);
                f.run(); // a refused refresh: signed again with the key
                f.assertAllDeliveredOnce();
                assertEquals(2, f.calls(Endpoint.XADES_SIGNATURE).size(), "two certificate logins");

                String privateKey = java.util.Base64.getEncoder().encodeToString(seal.privateKey().getEncoded());
                Set<String> secrets = new java.util.TreeSet<>(f.simulator.secretsIssued());
                secrets.remove(f.simulator.ksefToken()); // never given to the bundle here
                secrets.add(password);
                secrets.add(privateKey.substring(0, 64)); // the DER's first PEM line, in any PEM or base64 rendering
                secrets.add(java.util.HexFormat.of().formatHex(seal.privateKey().getEncoded()).substring(0, 64));
                String logged = log.toString();
                assertTrue(logged.contains("xades-signature"), "the capture saw the certificate login");
                for (String secret : secrets) {
                    for (String line : logged.split("\n")) {
                        assertFalse(line.contains(secret), () -> "a secret is in the log: " + line.replace(secret, "<SECRET>"));
                    }
                }
                assertNoSecretIn(dataDir, secrets, "after certificate logins");
            }
        } finally {
            release(appender);
        }
    }

    private static void assertNoSecretIn(Path dir, Set<String> secrets, String when) throws Exception {
        List<Path> files = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.filter(Files::isRegularFile).forEach(files::add);
        }
        assertTrue(files.stream().anyMatch(p -> p.toString().contains("db")), "the H2 files are scanned");
        for (Path file : files) {
            String content = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
            for (String secret : secrets) {
                assertFalse(content.contains(secret), "a secret is stored in clear in " + dir.relativize(file) + " " + when);
            }
        }
    }

    private static WriterAppender capture(StringWriter out) {
        LoggerContext context = (LoggerContext) LogManager.getContext(false);
        Configuration config = context.getConfiguration();
        WriterAppender appender = WriterAppender.newBuilder().setName("secrets-scan").setTarget(out)
                .setLayout(PatternLayout.newBuilder().withPattern("%c %m %ex%n").build()).build();
        appender.start();
        config.addAppender(appender);
        config.getRootLogger().addAppender(appender, Level.ALL, null);
        config.getLoggerConfig("dev.ksef.sync").addAppender(appender, Level.ALL, null);
        Configurator.setLevel("dev.ksef.sync", Level.DEBUG);
        Configurator.setLevel("org.apache.camel", Level.DEBUG);
        Configurator.setLevel("org.apache.hc", Level.DEBUG);
        context.updateLoggers();
        return appender;
    }

    private static void release(WriterAppender appender) {
        LoggerContext context = (LoggerContext) LogManager.getContext(false);
        Configurator.setLevel("dev.ksef.sync", Level.INFO);
        Configurator.setLevel("org.apache.camel", Level.INFO);
        Configurator.setLevel("org.apache.hc", Level.INFO);
        context.getConfiguration().getRootLogger().removeAppender(appender.getName());
        context.getConfiguration().getLoggerConfig("dev.ksef.sync").removeAppender(appender.getName());
        appender.stop();
        context.updateLoggers();
    }
}
