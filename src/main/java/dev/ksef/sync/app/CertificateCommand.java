package dev.ksef.sync.app;

import dev.ksef.sync.Nip;

import dev.ksef.sync.auth.xades.SelfSignedCertificates;
import dev.ksef.sync.auth.xades.SelfSignedCertificates.KeyKind;
import dev.ksef.sync.auth.xades.SelfSignedCertificates.Type;
import dev.ksef.sync.auth.xades.SelfSignedCertificates.WrittenFiles;
import dev.ksef.sync.auth.xades.SigningCredential;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * {@code certificate self-signed --nip <NIP> [--type seal|person] [--key rsa|ec] --out <dir>}: makes a self-signed
 * certificate that KSeF TEST accepts for certificate login (a company seal {@code VATPL-<NIP>} or a person
 * {@code TINPL-<NIP>}, EC P-256 or RSA-2048, valid from an hour ago for 365 days), writes it as
 * {@code ksef-<type>-<nip>.crt/.key/.p12} and prints the settings that use it. The key password is
 * {@code KSEF_AUTH_KEY_PASSWORD} when the environment has it; otherwise one is generated and printed once, never stored.
 */
public final class CertificateCommand {

    static final String USAGE = "usage: java -jar ksef-camel-sync.jar certificate self-signed --nip <NIP> [--type seal|person] [--key rsa|ec] --out <dir>";
    static final String PASSWORD_VARIABLE = "KSEF_AUTH_KEY_PASSWORD";
    private static final Set<String> OPTIONS = Set.of("--nip", "--type", "--key", "--out");

    private CertificateCommand() {
    }

    /** Runs the command with {@code args} after "certificate"; prints to {@code out}; returns the exit code (0, 1 or 2). */
    public static int run(List<String> args, Map<String, String> environment, PrintStream out) {
        if (args.contains("--help") || args.contains("-h")) {
            out.println(USAGE);
            return 0;
        }
        if (args.isEmpty() || !args.get(0).equals("self-signed")) {
            return usage(out, args.isEmpty() ? "certificate: which certificate? only 'self-signed' is known"
                    : "certificate: unknown command '" + args.get(0) + "'; only 'self-signed' is known");
        }
        Map<String, String> options = new HashMap<>();
        for (int i = 1; i < args.size(); i++) {
            String option = args.get(i);
            if (!OPTIONS.contains(option)) {
                return usage(out, "certificate self-signed: unknown option '" + option + "'");
            }
            if (i + 1 == args.size() || args.get(i + 1).startsWith("--")) {
                return usage(out, "certificate self-signed: " + option + " needs a value");
            }
            if (options.put(option, args.get(++i)) != null) {
                return usage(out, "certificate self-signed: " + option + " is given twice");
            }
        }
        String nip = options.get("--nip");
        if (nip == null || options.get("--out") == null) {
            return usage(out, "certificate self-signed: " + (nip == null ? "--nip" : "--out") + " is missing");
        }
        if (!Nip.isValid(nip)) {
            return usage(out, "certificate self-signed: --nip " + nip + " is not a NIP (ten digits with a valid checksum)");
        }
        String typeName = options.getOrDefault("--type", "seal").toLowerCase(Locale.ROOT);
        String keyName = options.getOrDefault("--key", "ec").toLowerCase(Locale.ROOT);
        if (!typeName.equals("seal") && !typeName.equals("person")) {
            return usage(out, "certificate self-signed: --type must be seal or person, not '" + typeName + "'");
        }
        if (!keyName.equals("ec") && !keyName.equals("rsa")) {
            return usage(out, "certificate self-signed: --key must be ec or rsa, not '" + keyName + "'");
        }
        Path dir;
        try {
            dir = Path.of(options.get("--out")).toAbsolutePath().normalize();
        } catch (InvalidPathException e) {
            return usage(out, "certificate self-signed: --out " + options.get("--out") + " is not a valid directory name");
        }
        return write(nip, Type.valueOf(typeName.toUpperCase(Locale.ROOT)), KeyKind.valueOf(keyName.toUpperCase(Locale.ROOT)), dir,
                environment.get(PASSWORD_VARIABLE), out);
    }

    private static int write(String nip, Type type, KeyKind key, Path dir, String givenPassword, PrintStream out) {
        boolean generated = givenPassword == null || givenPassword.isBlank();
        String password = generated ? randomPassword() : givenPassword.strip();
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        SigningCredential credential = SelfSignedCertificates.create(nip, type, key, now.minus(Duration.ofHours(1)), now.plus(Duration.ofDays(365)));
        char[] secret = password.toCharArray();
        WrittenFiles files;
        try {
            files = SelfSignedCertificates.write(credential, dir, "ksef-" + type.name().toLowerCase(Locale.ROOT) + "-" + nip, secret);
        } catch (FileAlreadyExistsException e) {
            out.println("certificate self-signed: " + e.getFile() + " already exists; remove it or choose another --out");
            return 2;
        } catch (IOException e) {
            out.println("certificate self-signed: cannot write into " + dir + " (" + e.getClass().getSimpleName() + ": " + e.getMessage() + ")");
            return 1;
        } finally {
            Arrays.fill(secret, '\0');
        }
        out.println("Self-signed " + type.name().toLowerCase(Locale.ROOT) + " certificate for NIP " + nip + " (" + credential.keyDescription()
                + "), valid " + credential.certificate().getNotBefore().toInstant() + " to " + credential.certificate().getNotAfter().toInstant()
                + "; KSeF accepts self-signed certificates on TEST only:");
        out.println("  " + files.certificate() + "   certificate (PEM)");
        out.println("  " + files.privateKey() + "   private key (PEM, encrypted PKCS#8)");
        out.println("  " + files.keystore() + "   keystore (PKCS#12: key and certificate)");
        out.println();
        out.println("Settings (config/application.properties):");
        out.println("ksef.nip = " + nip);
        out.println("ksef.auth.certificate = " + files.keystore());
        out.println("ksef.auth.verify-certificate-chain = false");
        out.println("or, with the PEM files instead of the keystore:");
        out.println("ksef.auth.certificate = " + files.certificate());
        out.println("ksef.auth.private-key = " + files.privateKey());
        out.println();
        if (generated) {
            out.println("The key password (ksef.auth.key-password) was generated and is shown only now; keep it with your secrets:");
            out.println("export " + PASSWORD_VARIABLE + "=" + password);
        } else {
            out.println("The key password (ksef.auth.key-password) is " + PASSWORD_VARIABLE + " from the environment.");
        }
        return 0;
    }

    /** 24 random bytes as 32 URL-safe characters: no shell quoting needed. */
    private static String randomPassword() {
        byte[] bytes = new byte[24];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static int usage(PrintStream out, String problem) {
        out.println(problem);
        out.println(USAGE);
        return 2;
    }
}
