package dev.ksef.sync.auth.xades;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ksef.sync.KsefConfigurationException;
import dev.ksef.sync.auth.xades.SelfSignedCertificates.KeyKind;
import dev.ksef.sync.auth.xades.SelfSignedCertificates.Type;
import dev.ksef.sync.auth.xades.SelfSignedCertificates.WrittenFiles;
import java.io.ByteArrayOutputStream;
import java.io.OutputStreamWriter;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.Date;
import javax.xml.crypto.dsig.SignatureMethod;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcePEMEncryptorBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SigningCredentialsTest {

    private static final String NIP = "5265877635";
    private static final String PASSWORD = "test-password";
    private static final String WRONG = "not-the-password";
    private static final String ACCEPTED = " (KSeF accepts RSA of 2048 bits or more, or EC P-256)";
    private static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    private static final Path OPENSSL = Path.of("src/test/resources/auth").toAbsolutePath();

    private static SigningCredential ec;
    private static SigningCredential rsa;

    @TempDir
    Path dir;

    @BeforeAll
    static void credentials() {
        ec = SelfSignedCertificates.create(NIP, Type.SEAL, KeyKind.EC, NOW.minus(Duration.ofHours(1)), NOW.plus(Duration.ofDays(365)));
        rsa = SelfSignedCertificates.create(NIP, Type.PERSON, KeyKind.RSA, NOW.minus(Duration.ofHours(1)), NOW.plus(Duration.ofDays(365)));
    }

    // ---- files made by OpenSSL

    @Test
    void loadsOpenSslEcCertificateWithEncryptedPkcs8Key() throws Exception {
        SigningCredential c = load(openssl("ec-p256.crt"), openssl("ec-p256.key"), PASSWORD);
        assertInstanceOf(ECPrivateKey.class, c.privateKey());
        assertEquals(SignatureMethod.ECDSA_SHA256, c.signatureMethod());
        assertEquals("EC P-256", c.keyDescription());
        assertKeyOfCertificate(c);
    }

    @Test
    void loadsOpenSslTraditionalPlainEcKey() throws Exception {
        SigningCredential c = load(openssl("ec-p256.crt"), openssl("ec-p256-traditional.key"), "");
        assertInstanceOf(ECPrivateKey.class, c.privateKey());
        assertKeyOfCertificate(c);
    }

    @Test
    void loadsOpenSslTraditionalRsaKeyEncryptedWithDekInfo() throws Exception {
        assertTrue(Files.readString(Path.of(openssl("rsa-2048-traditional.key"))).contains("DEK-Info: AES-256-CBC"));
        SigningCredential c = load(openssl("rsa-2048.crt"), openssl("rsa-2048-traditional.key"), PASSWORD);
        assertInstanceOf(RSAPrivateCrtKey.class, c.privateKey());
        assertEquals(SignatureMethod.RSA_SHA256, c.signatureMethod());
        assertKeyOfCertificate(c);
    }

    @Test
    void loadsOpenSslPkcs12() throws Exception {
        SigningCredential c = load(openssl("rsa-2048.p12"), "", PASSWORD);
        assertInstanceOf(RSAPrivateCrtKey.class, c.privateKey());
        assertEquals(load(openssl("rsa-2048.crt"), openssl("rsa-2048-traditional.key"), PASSWORD).certificate(), c.certificate());
        assertKeyOfCertificate(c);
    }

    // ---- files made here

    @Test
    void loadsPkcs12WithRsaAndEcKeys() throws Exception {
        WrittenFiles ecFiles = SelfSignedCertificates.write(ec, dir, "ec", PASSWORD.toCharArray());
        WrittenFiles rsaFiles = SelfSignedCertificates.write(rsa, dir, "rsa", PASSWORD.toCharArray());
        SigningCredential ecLoaded = load(ecFiles.keystore().toString(), null, PASSWORD);
        SigningCredential rsaLoaded = load(rsaFiles.keystore().toString(), " ", PASSWORD);
        assertInstanceOf(ECPrivateKey.class, ecLoaded.privateKey());
        assertInstanceOf(RSAPrivateCrtKey.class, rsaLoaded.privateKey());
        assertEquals(ec.certificate(), ecLoaded.certificate());
        assertEquals(rsa.certificate(), rsaLoaded.certificate());
        assertKeyOfCertificate(ecLoaded);
        assertKeyOfCertificate(rsaLoaded);
    }

    @Test
    void loadsPemCertificateWithEncryptedPkcs8Key() throws Exception {
        WrittenFiles files = SelfSignedCertificates.write(ec, dir, "ec", PASSWORD.toCharArray());
        SigningCredential c = load(files.certificate().toString(), files.privateKey().toString(), PASSWORD);
        assertEquals(ec.certificate(), c.certificate());
        assertInstanceOf(ECPrivateKey.class, c.privateKey());
        assertKeyOfCertificate(c);
    }

    @Test
    void loadsPlainPkcs8Key() throws Exception {
        Path crt = write("rsa.crt", pem("CERTIFICATE", rsa.certificate().getEncoded()));
        Path key = write("rsa.key", pem("PRIVATE KEY", rsa.privateKey().getEncoded()));
        SigningCredential c = load(crt.toString(), key.toString(), "");
        assertInstanceOf(RSAPrivateCrtKey.class, c.privateKey());
        assertKeyOfCertificate(c);
    }

    @Test
    void loadsOpenSslTraditionalEcKeyEncryptedWithDekInfo() throws Exception {
        String key = openssl("ec-p256-traditional-encrypted.key");
        assertTrue(Files.readString(Path.of(key)).startsWith("-----BEGIN EC PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-256-CBC,"));
        SigningCredential c = load(openssl("ec-p256.crt"), key, PASSWORD);
        assertInstanceOf(ECPrivateKey.class, c.privateKey());
        assertKeyOfCertificate(c);
        assertEquals("ksef.auth.key-password does not open " + key + " (wrong password, or KSEF_AUTH_KEY_PASSWORD not set)",
                failure(openssl("ec-p256.crt"), key, WRONG));
    }

    @Test
    void loadsTraditionalRsaKeyWrittenByBouncyCastle() throws Exception {
        Path crt = write("rsa.crt", pem("CERTIFICATE", rsa.certificate().getEncoded()));
        Path plain = write("rsa.key", traditional(rsa, null));
        assertTrue(Files.readString(plain).startsWith("-----BEGIN RSA PRIVATE KEY-----\nMII"));
        assertInstanceOf(RSAPrivateCrtKey.class, load(crt.toString(), plain.toString(), "").privateKey());
        Path encrypted = write("rsa-encrypted.key", traditional(rsa, PASSWORD));
        assertTrue(Files.readString(encrypted).startsWith("-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-256-CBC,"));
        SigningCredential c = load(crt.toString(), encrypted.toString(), PASSWORD);
        assertInstanceOf(RSAPrivateCrtKey.class, c.privateKey());
        assertKeyOfCertificate(c);
    }

    @Test
    void acceptsOnePemFileWithCertificateAndKey() throws Exception {
        Path both = write("both.pem", pem("CERTIFICATE", ec.certificate().getEncoded()) + Files.readString(
                SelfSignedCertificates.write(ec, dir, "ec", PASSWORD.toCharArray()).privateKey()));
        SigningCredential c = load(both.toString(), "", PASSWORD);
        assertEquals(ec.certificate(), c.certificate());
        assertKeyOfCertificate(c);
    }

    // ---- errors: one line, naming the setting, never the password

    @Test
    void missingAndUnreadableFiles() {
        Path missing = dir.resolve("a.p12");
        assertEquals("ksef.auth.certificate: " + missing + " does not exist", failure(missing.toString(), "", PASSWORD));
        assertEquals("ksef.auth.certificate: " + dir + " is not a readable file", failure(dir.toString(), "", PASSWORD));
        assertEquals("ksef.auth.private-key: " + missing + " does not exist", failure(openssl("ec-p256.crt"), missing.toString(), PASSWORD));
        assertTrue(failure("", "", PASSWORD).startsWith("ksef.auth.certificate must be set: "));
    }

    @Test
    void pemCertificateWithoutKey() {
        assertEquals("ksef.auth.private-key must be set: " + openssl("ec-p256.crt") + " is a PEM certificate without its private key",
                failure(openssl("ec-p256.crt"), "", PASSWORD));
    }

    @Test
    void wrongOrMissingPassword() throws Exception {
        String expected = " (wrong password, or KSEF_AUTH_KEY_PASSWORD not set)";
        assertEquals("ksef.auth.key-password does not open " + openssl("ec-p256.key") + expected,
                failure(openssl("ec-p256.crt"), openssl("ec-p256.key"), WRONG));
        assertEquals("ksef.auth.key-password does not open " + openssl("ec-p256.key") + expected,
                failure(openssl("ec-p256.crt"), openssl("ec-p256.key"), ""));
        assertEquals("ksef.auth.key-password does not open " + openssl("rsa-2048-traditional.key") + expected,
                failure(openssl("rsa-2048.crt"), openssl("rsa-2048-traditional.key"), WRONG));
        assertEquals("ksef.auth.key-password does not open " + openssl("rsa-2048.p12") + expected, failure(openssl("rsa-2048.p12"), "", WRONG));
        Path p12 = SelfSignedCertificates.write(ec, dir, "ec", PASSWORD.toCharArray()).keystore();
        assertEquals("ksef.auth.key-password does not open " + p12 + expected, failure(p12.toString(), "", ""));
    }

    @Test
    void keyOfAnotherCertificate() throws Exception {
        WrittenFiles first = SelfSignedCertificates.write(ec, dir, "first", PASSWORD.toCharArray());
        SigningCredential other = SelfSignedCertificates.create(NIP, Type.SEAL, KeyKind.EC, NOW.minus(Duration.ofHours(1)), NOW.plus(Duration.ofDays(1)));
        WrittenFiles second = SelfSignedCertificates.write(other, dir, "second", PASSWORD.toCharArray());
        WrittenFiles third = SelfSignedCertificates.write(rsa, dir, "third", PASSWORD.toCharArray());
        assertEquals("ksef.auth.private-key " + second.privateKey() + " is not the key of the certificate in " + first.certificate(),
                failure(first.certificate().toString(), second.privateKey().toString(), PASSWORD));
        assertEquals("ksef.auth.private-key " + third.privateKey() + " is not the key of the certificate in " + first.certificate(),
                failure(first.certificate().toString(), third.privateKey().toString(), PASSWORD));
    }

    @Test
    void expiredAndNotYetValid() throws Exception {
        SigningCredential expired = SelfSignedCertificates.create(NIP, Type.SEAL, KeyKind.EC, NOW.minus(Duration.ofDays(30)), NOW.minus(Duration.ofDays(1)));
        Path p12 = SelfSignedCertificates.write(expired, dir, "expired", PASSWORD.toCharArray()).keystore();
        assertEquals("ksef.auth.certificate " + p12 + " expired on " + NOW.minus(Duration.ofDays(1)) + " (CN=Test seal " + NIP + ")",
                failure(p12.toString(), "", PASSWORD));
        SigningCredential future = SelfSignedCertificates.create(NIP, Type.PERSON, KeyKind.EC, NOW.plus(Duration.ofDays(1)), NOW.plus(Duration.ofDays(30)));
        Path crt = SelfSignedCertificates.write(future, dir, "future", PASSWORD.toCharArray()).certificate();
        assertEquals("ksef.auth.certificate " + crt + " is not valid before " + NOW.plus(Duration.ofDays(1)) + " (CN=Test Person " + NIP + ")",
                failure(crt.toString(), dir.resolve("future.key").toString(), PASSWORD));
        // the same certificate is fine a day later: validity is checked against the given instant
        assertKeyOfCertificate(SigningCredentials.load(crt.toString(), dir.resolve("future.key").toString(), PASSWORD.toCharArray(),
                NOW.plus(Duration.ofDays(2))));
    }

    @Test
    void unsupportedKeys() throws Exception {
        assertEquals("ksef.auth.certificate " + openssl("ed25519.crt") + ": unsupported key Ed25519" + ACCEPTED,
                failure(openssl("ed25519.crt"), openssl("ed25519.key"), ""));
        assertEquals("ksef.auth.certificate " + openssl("rsa-1024.crt") + ": unsupported key RSA-1024" + ACCEPTED,
                failure(openssl("rsa-1024.crt"), openssl("rsa-1024.key"), ""));
        assertEquals("ksef.auth.certificate " + openssl("secp256k1.crt") + ": unsupported key EC secp256k1" + ACCEPTED,
                failure(openssl("secp256k1.crt"), openssl("secp256k1.key"), ""));
        // a secp256k1 key given for a P-256 certificate: the JDK can hold it but not sign with it
        assertEquals("ksef.auth.private-key " + openssl("secp256k1.key") + " is not the key of the certificate in " + openssl("ec-p256.crt"),
                failure(openssl("ec-p256.crt"), openssl("secp256k1.key"), ""));
        Path p12 = ed25519Keystore();
        assertEquals("ksef.auth.certificate " + p12 + ": unsupported key Ed25519" + ACCEPTED, failure(p12.toString(), "", PASSWORD));
    }

    @Test
    void offlineCertificate() {
        assertEquals("ksef.auth.certificate " + openssl("ec-offline.crt") + " is an Offline certificate (key usage without digitalSignature):"
                + " log in with a KSeF certificate of type Authentication", failure(openssl("ec-offline.crt"), openssl("ec-offline.key"), ""));
    }

    @Test
    void filesOfTheWrongKind() throws Exception {
        Path text = write("notes.txt", "not a certificate\n");
        assertEquals("ksef.auth.certificate " + text + " holds no certificate: expected a PKCS#12 keystore (.p12/.pfx) or a PEM CERTIFICATE",
                failure(text.toString(), "", PASSWORD));
        Path der = dir.resolve("garbage.der");
        Files.write(der, new byte[] {0x30, 0x03, 0x02, 0x01, 0x05});
        assertEquals("ksef.auth.certificate " + der + " holds no certificate: expected a PKCS#12 keystore (.p12/.pfx) or a PEM CERTIFICATE",
                failure(der.toString(), "", PASSWORD));
        assertEquals("ksef.auth.certificate " + openssl("ec-p256.key") + " holds no certificate: expected a PKCS#12 keystore (.p12/.pfx)"
                + " or a PEM CERTIFICATE (is this the key for ksef.auth.private-key?)", failure(openssl("ec-p256.key"), "", PASSWORD));
        assertEquals("ksef.auth.private-key " + openssl("rsa-2048.crt") + " holds no private key: expected a PEM PRIVATE KEY,"
                + " ENCRYPTED PRIVATE KEY, RSA PRIVATE KEY or EC PRIVATE KEY", failure(openssl("ec-p256.crt"), openssl("rsa-2048.crt"), PASSWORD));
        assertEquals("ksef.auth.private-key must be empty: " + openssl("rsa-2048.p12") + " is a PKCS#12 keystore that holds the key",
                failure(openssl("rsa-2048.p12"), openssl("rsa-2048-traditional.key"), PASSWORD));
        Path damaged = write("damaged.crt", "-----BEGIN CERTIFICATE-----\nMIIB!!not base64!!\n-----END CERTIFICATE-----\n");
        assertEquals("ksef.auth.certificate " + damaged + " is a damaged PEM file: expected a PEM CERTIFICATE or PEM PRIVATE KEY,"
                + " ENCRYPTED PRIVATE KEY, RSA PRIVATE KEY or EC PRIVATE KEY", failure(damaged.toString(), "", PASSWORD));
    }

    @Test
    void pemTextInsteadOfAFileNameIsRefusedWithoutEchoingIt() throws Exception {
        String key = Files.readString(OPENSSL.resolve("ec-p256.key"));
        String body = key.lines().filter(l -> !l.startsWith("-----")).findFirst().orElseThrow();
        String keyMessage = failure(openssl("ec-p256.crt"), key, PASSWORD);
        assertEquals("ksef.auth.private-key holds PEM text, not a file name: save it to a file (owner-readable only) and name that file",
                keyMessage);
        assertFalse(keyMessage.contains(body), keyMessage);
        String certificate = Files.readString(OPENSSL.resolve("ec-p256.crt"));
        assertEquals("ksef.auth.certificate holds PEM text, not a file name: save it to a file (owner-readable only) and name that file",
                failure(certificate, openssl("ec-p256.key"), PASSWORD));
    }

    @Test
    void acceptsADerCertificate() throws Exception {
        Path der = dir.resolve("ec.cer");
        Files.write(der, ec.certificate().getEncoded());
        Path key = SelfSignedCertificates.write(ec, dir, "ec", PASSWORD.toCharArray()).privateKey();
        assertEquals(ec.certificate(), load(der.toString(), key.toString(), PASSWORD).certificate());
    }

    // ---- helpers

    private static SigningCredential load(String certificate, String key, String password) {
        return SigningCredentials.load(certificate, key, password.toCharArray(), NOW);
    }

    /** The message of the configuration error, checked for the rules every message keeps. */
    private static String failure(String certificate, String key, String password) {
        KsefConfigurationException e = assertThrows(KsefConfigurationException.class, () -> load(certificate, key, password));
        String message = e.getMessage();
        assertTrue(message.startsWith("ksef.auth."), message);
        assertFalse(message.contains("\n") || message.contains("\r"), message);
        assertFalse(message.contains(PASSWORD) || message.contains(WRONG), message);
        assertFalse(message.contains("-----BEGIN"), message);
        return message;
    }

    private static void assertKeyOfCertificate(SigningCredential c) throws Exception {
        String algorithm = c.signatureMethod().equals(SignatureMethod.RSA_SHA256) ? "SHA256withRSA" : "SHA256withECDSA";
        Signature signer = Signature.getInstance(algorithm);
        signer.initSign(c.privateKey());
        signer.update("challenge".getBytes(StandardCharsets.US_ASCII));
        Signature verifier = Signature.getInstance(algorithm);
        verifier.initVerify(c.certificate().getPublicKey());
        verifier.update("challenge".getBytes(StandardCharsets.US_ASCII));
        assertTrue(verifier.verify(signer.sign()));
    }

    private static String openssl(String name) {
        return OPENSSL.resolve(name).toString();
    }

    private Path write(String name, String content) throws Exception {
        return Files.writeString(dir.resolve(name), content, StandardCharsets.US_ASCII);
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der) + "\n-----END " + type + "-----\n";
    }

    /**
     * The key as OpenSSL's traditional PEM, encrypted with DEK-Info when a password is given. RSA only: for a JDK EC key
     * BouncyCastle writes an EC PRIVATE KEY without its curve, which OpenSSL does not write; the EC cases use OpenSSL's files.
     */
    private static String traditional(SigningCredential c, String password) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (JcaPEMWriter writer = new JcaPEMWriter(new OutputStreamWriter(bytes, StandardCharsets.US_ASCII))) {
            if (password == null) {
                writer.writeObject(c.privateKey());
            } else {
                writer.writeObject(c.privateKey(), new JcePEMEncryptorBuilder("AES-256-CBC").setProvider(PemKeys.BOUNCY_CASTLE).build(password.toCharArray()));
            }
        }
        return bytes.toString(StandardCharsets.US_ASCII);
    }

    /** A JDK PKCS#12 keystore with an Ed25519 key and its self-signed certificate. */
    private Path ed25519Keystore() throws Exception {
        KeyPair keys = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        X500Name name = new X500Name("CN=Ed25519 test, C=PL");
        X509Certificate certificate = new JcaX509CertificateConverter().getCertificate(new JcaX509v3CertificateBuilder(name, BigInteger.TEN,
                Date.from(NOW.minus(Duration.ofHours(1))), Date.from(NOW.plus(Duration.ofDays(1))), name, keys.getPublic())
                .build(new JcaContentSignerBuilder("Ed25519").build(keys.getPrivate())));
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setKeyEntry("ed25519", keys.getPrivate(), PASSWORD.toCharArray(), new Certificate[] {certificate});
        Path p12 = dir.resolve("ed25519.p12");
        try (var out = Files.newOutputStream(p12)) {
            store.store(out, PASSWORD.toCharArray());
        }
        return p12;
    }
}
