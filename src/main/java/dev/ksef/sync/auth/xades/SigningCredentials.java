package dev.ksef.sync.auth.xades;

import dev.ksef.sync.KsefConfigurationException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Instant;

/**
 * Loads the key and certificate that sign the KSeF login ({@code AuthTokenRequest}) from the files the settings name.
 * <ul>
 * <li>{@code ksef.auth.certificate}: a PKCS#12 keystore ({@code .p12}/{@code .pfx}, recognised by its content) with one
 * private key and its certificate; or a PEM certificate ({@code .crt}, {@code -----BEGIN CERTIFICATE-----}, as KSeF's
 * web app hands it out; a DER certificate also works). A PEM file that holds the key as well needs nothing more.</li>
 * <li>{@code ksef.auth.private-key}: the PEM key of a PEM certificate; empty for a keystore. {@code ENCRYPTED PRIVATE
 * KEY} is PKCS#8 with PBES2/AES (the {@code .key} of KSeF's web app, {@code openssl pkcs8 -topk8 -v2 aes-256-cbc});
 * {@code PRIVATE KEY} is plain PKCS#8; {@code RSA PRIVATE KEY} and {@code EC PRIVATE KEY} are OpenSSL's traditional
 * forms, plain or encrypted with a {@code DEK-Info} header.</li>
 * <li>{@code ksef.auth.key-password} (a secret, {@code KSEF_AUTH_KEY_PASSWORD}): opens the keystore or the encrypted key;
 * empty for a plain key.</li>
 * </ul>
 * The key must be RSA of 2048 bits or more or EC on P-256 (P-384, P-521), the certificate valid at {@code now} and not
 * a KSeF Offline certificate, and the key must be the certificate's. Every failure is a {@link KsefConfigurationException}
 * with one line that names the setting and what to do, and never carries the password or key material.
 */
public final class SigningCredentials {

    static final String CERTIFICATE = "ksef.auth.certificate";
    static final String PRIVATE_KEY = "ksef.auth.private-key";
    private static final long MAX_FILE_BYTES = 1 << 20;
    
    private SigningCredentials() {
    }

    /**
     * @param certificatePath {@code ksef.auth.certificate}: a PKCS#12 keystore or a PEM (or DER) certificate
     * @param privateKeyPath {@code ksef.auth.private-key}: the PEM key of a PEM certificate; blank or {@code null} otherwise
     * @param password {@code ksef.auth.key-password}; empty or {@code null} for a plain key (not cleared here)
     * @param now the instant the certificate must be valid at
     * @throws KsefConfigurationException with one line naming the setting, for every file that cannot be used
     */
    public static SigningCredential load(String certificatePath, String privateKeyPath, char[] password, Instant now) {
        char[] secret = password == null ? new char[0] : password;
        if (certificatePath == null || certificatePath.isBlank()) {
            throw fail(CERTIFICATE + " must be set: a .p12 keystore, or a PEM certificate with " + PRIVATE_KEY);
        }
        boolean separateKey = privateKeyPath != null && !privateKeyPath.isBlank();
        Path certificateFile = path(CERTIFICATE, certificatePath);
        byte[] content = read(CERTIFICATE, certificateFile);
        if (Pkcs12Keystore.isPkcs12(content)) {
            if (separateKey) {
                throw fail(PRIVATE_KEY + " must be empty: " + certificateFile + " is a PKCS#12 keystore that holds the key");
            }
            Pkcs12Keystore keystore = Pkcs12Keystore.open(certificateFile, content, secret);
            X509Certificate certificate = CredentialChecks.check(keystore.certificate(), certificateFile, now);
            return CredentialChecks.matched(keystore.privateKey(secret), certificate, CERTIFICATE + " " + certificateFile
                    + " holds a private key that is not the key of its certificate");
        }
        PemKeys.Content pem = PemKeys.read(CERTIFICATE, certificateFile, content);
        if (pem.certificates().isEmpty()) {
            throw fail(CERTIFICATE + " " + certificateFile + " holds no certificate: expected a PKCS#12 keystore (.p12/.pfx) or a PEM"
                    + " CERTIFICATE" + (pem.key() != null ? " (is this the key for " + PRIVATE_KEY + "?)" : ""));
        }
        X509Certificate certificate = CredentialChecks.check(pem.certificates().get(0), certificateFile, now);
        Path keyFile = certificateFile;
        String keySetting = CERTIFICATE;
        if (separateKey) {
            keyFile = path(PRIVATE_KEY, privateKeyPath);
            keySetting = PRIVATE_KEY;
            pem = PemKeys.read(PRIVATE_KEY, keyFile, read(PRIVATE_KEY, keyFile));
            if (pem.key() == null) {
                throw fail(PRIVATE_KEY + " " + keyFile + " holds no private key: expected a " + PemKeys.KEY_FORMATS);
            }
        } else if (pem.key() == null) {
            throw fail(PRIVATE_KEY + " must be set: " + certificateFile + " is a PEM certificate without its private key");
        }
        PrivateKey key = PemKeys.privateKey(keySetting, keyFile, pem.key(), secret);
        return CredentialChecks.matched(key, certificate, separateKey ? PRIVATE_KEY + " " + keyFile + " is not the key of the certificate in " + certificateFile
                : CERTIFICATE + " " + certificateFile + " holds a private key that is not the key of its certificate");
    }

    /** The file a setting names; PEM text pasted in its place is refused without being echoed (it may be the key). */
    private static Path path(String setting, String value) {
        if (value.contains("-----BEGIN") || value.strip().contains("\n")) {
            throw fail(setting + " holds PEM text, not a file name: save it to a file (owner-readable only) and name that file");
        }
        try {
            return Path.of(value.strip());
        } catch (InvalidPathException e) {
            throw fail(setting + ": " + value.strip() + " is not a valid file name");
        }
    }

    private static byte[] read(String setting, Path file) {
        if (!Files.exists(file)) {
            throw fail(setting + ": " + file + " does not exist");
        }
        try {
            if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
                throw fail(setting + ": " + file + " is not a readable file");
            }
            if (Files.size(file) > MAX_FILE_BYTES) {
                throw fail(setting + ": " + file + " is too large for a certificate or key (" + Files.size(file) + " bytes)");
            }
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw fail(setting + ": " + file + " is not a readable file (" + e.getClass().getSimpleName() + ")", e);
        }
    }

    static KsefConfigurationException wrongPassword(Path file, Exception cause) {
        return fail("ksef.auth.key-password does not open " + file + " (wrong password, or KSEF_AUTH_KEY_PASSWORD not set)", cause);
    }

    static KsefConfigurationException fail(String message) {
        return fail(message, null);
    }

    /** One line: control characters (a line break in a file name or a subject) become spaces. */
    static KsefConfigurationException fail(String message, Throwable cause) {
        return new KsefConfigurationException(message.replaceAll("\\p{Cntrl}", " "), cause);
    }
}
