package dev.ksef.sync.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ksef.sync.auth.xades.SigningCredential;
import dev.ksef.sync.auth.xades.SigningCredentials;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CertificateCommandTest {

    private static final String NIP = "5265877635";

    @TempDir
    Path dir;

    private final ByteArrayOutputStream printed = new ByteArrayOutputStream();

    @Test
    void writesASealAndPrintsTheSettingsAndTheGeneratedPasswordOnce() throws Exception {
        Path out = dir.resolve("certs");
        assertEquals(0, run(Map.of(), "self-signed", "--nip", NIP, "--out", out.toString()));
        String output = output();
        Path p12 = out.resolve("ksef-seal-" + NIP + ".p12");
        Path crt = out.resolve("ksef-seal-" + NIP + ".crt");
        Path key = out.resolve("ksef-seal-" + NIP + ".key");
        assertTrue(Files.isRegularFile(p12) && Files.isRegularFile(crt) && Files.isRegularFile(key), output);
        List<String> lines = output.lines().toList();
        assertTrue(lines.contains("ksef.nip = " + NIP), output);
        assertTrue(lines.contains("ksef.auth.certificate = " + p12), output);
        assertTrue(lines.contains("ksef.auth.verify-certificate-chain = false"), output);
        assertTrue(lines.contains("ksef.auth.certificate = " + crt), output);
        assertTrue(lines.contains("ksef.auth.private-key = " + key), output);
        assertTrue(output.contains("shown only now"), output);

        Matcher export = Pattern.compile("(?m)^export KSEF_AUTH_KEY_PASSWORD=([A-Za-z0-9_-]{20,})$").matcher(output);
        assertTrue(export.find(), output);
        String password = export.group(1);
        assertEquals(output.indexOf(password), output.lastIndexOf(password), "the password is printed once");

        SigningCredential credential = SigningCredentials.load(p12.toString(), "", password.toCharArray(), Instant.now());
        assertInstanceOf(ECPrivateKey.class, credential.privateKey());
        assertTrue(credential.certificate().getSubjectX500Principal().getName().contains("C=PL"));
        assertEquals(credential.certificate(), SigningCredentials.load(crt.toString(), key.toString(), password.toCharArray(), Instant.now()).certificate());
    }

    @Test
    void usesThePasswordFromTheEnvironmentAndNeverPrintsIt() throws Exception {
        String password = "env-password-for-the-test";
        assertEquals(0, run(Map.of("KSEF_AUTH_KEY_PASSWORD", password), "self-signed", "--nip", NIP, "--type", "person", "--key", "rsa",
                "--out", dir.toString()));
        String output = output();
        assertFalse(output.contains(password), output);
        assertFalse(output.contains("export KSEF_AUTH_KEY_PASSWORD"), output);
        assertTrue(output.contains("KSEF_AUTH_KEY_PASSWORD from the environment"), output);
        Path p12 = dir.resolve("ksef-person-" + NIP + ".p12");
        SigningCredential credential = SigningCredentials.load(p12.toString(), "", password.toCharArray(), Instant.now());
        assertInstanceOf(RSAPrivateCrtKey.class, credential.privateKey());
    }

    @Test
    void aNipWithABadChecksumIsOneLineAndTheUsage() {
        assertEquals(2, run(Map.of(), "self-signed", "--nip", "5265877636", "--out", dir.toString()));
        List<String> lines = output().lines().toList();
        assertEquals(List.of("certificate self-signed: --nip 5265877636 is not a NIP (ten digits with a valid checksum)", CertificateCommand.USAGE),
                lines);
        assertTrue(dir.toFile().list().length == 0, "nothing written");
    }

    @Test
    void missingOrUnknownOptionsAreOneLineAndTheUsage() {
        assertUsageError("certificate self-signed: --out is missing", "self-signed", "--nip", NIP);
        assertUsageError("certificate self-signed: --nip is missing", "self-signed", "--out", dir.toString());
        assertUsageError("certificate self-signed: unknown option '--kind'", "self-signed", "--nip", NIP, "--kind", "rsa", "--out", dir.toString());
        assertUsageError("certificate self-signed: --key must be ec or rsa, not 'dsa'", "self-signed", "--nip", NIP, "--key", "dsa", "--out", dir.toString());
        assertUsageError("certificate self-signed: --nip needs a value", "self-signed", "--nip");
        assertUsageError("certificate: unknown command 'request'; only 'self-signed' is known", "request");
    }

    @Test
    void refusesToOverwriteAnExistingKey() throws Exception {
        Files.writeString(dir.resolve("ksef-seal-" + NIP + ".key"), "keep me");
        assertEquals(2, run(Map.of("KSEF_AUTH_KEY_PASSWORD", "x-password"), "self-signed", "--nip", NIP, "--out", dir.toString()));
        assertEquals(List.of("certificate self-signed: " + dir.resolve("ksef-seal-" + NIP + ".key") + " already exists; remove it or choose another --out"),
                output().lines().toList());
        assertEquals("keep me", Files.readString(dir.resolve("ksef-seal-" + NIP + ".key")));
    }

    private void assertUsageError(String problem, String... args) {
        printed.reset();
        assertEquals(2, run(Map.of(), args));
        assertEquals(List.of(problem, CertificateCommand.USAGE), output().lines().toList());
    }

    private int run(Map<String, String> environment, String... args) {
        return CertificateCommand.run(List.of(args), environment, new PrintStream(printed, true, StandardCharsets.UTF_8));
    }

    private String output() {
        return printed.toString(StandardCharsets.UTF_8);
    }
}
