package dev.ksef.sync.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
