package dev.ksef.sync.auth.xades;

import dev.ksef.sync.Nip;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.PKCS8Generator;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8EncryptorBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Self-signed certificates for certificate login on KSeF TEST, the only environment that accepts them. A {@link
 * Type#SEAL} is a company seal whose subject is {@code organizationIdentifier (2.5.4.97)=VATPL-<NIP>, O, CN, C=PL}; a
 * {@link Type#PERSON} has {@code givenName, surname, serialNumber (2.5.4.5)=TINPL-<NIP>, CN, C=PL}. Logging in with the
 * same NIP as context makes the subject its owner. The key is RSA-2048 (signed SHA256withRSA) or EC P-256 (SHA256withECDSA),
 * the certificate X.509 v3 with a random serial and key usage digitalSignature, like a KSeF Authentication certificate.
 * Used by the {@code certificate self-signed} command and by tests; keys are JDK keys, BouncyCastle only encodes.
 */
public final class SelfSignedCertificates {

    public enum Type { SEAL, PERSON }

    public enum KeyKind { RSA, EC }

    /** The files {@link #write} made: PEM certificate, encrypted PKCS#8 PEM key, PKCS#12 keystore with both. */
    public record WrittenFiles(Path certificate, Path privateKey, Path keystore) {
    }

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int KEY_ITERATIONS = 100_000;

    private SelfSignedCertificates() {
    }

    public static SigningCredential create(String nip, Type type, KeyKind key, Instant notBefore, Instant notAfter) {
        if (!Nip.isValid(nip)) {
            throw new IllegalArgumentException("not a NIP (ten digits with a valid checksum): " + nip);
        }
        if (!notBefore.isBefore(notAfter)) {
            throw new IllegalArgumentException("notBefore " + notBefore + " is not before notAfter " + notAfter);
        }
        X500NameBuilder subject = new X500NameBuilder(BCStyle.INSTANCE);
        if (type == Type.SEAL) {
            String name = "Test seal " + nip;
            subject.addRDN(BCStyle.ORGANIZATION_IDENTIFIER, "VATPL-" + nip).addRDN(BCStyle.O, name).addRDN(BCStyle.CN, name);
        } else {
            subject.addRDN(BCStyle.GIVENNAME, "Test").addRDN(BCStyle.SURNAME, "Person").addRDN(BCStyle.SERIALNUMBER, "TINPL-" + nip)
                    .addRDN(BCStyle.CN, "Test Person " + nip);
        }
        X500Name name = subject.addRDN(BCStyle.C, "PL").build();
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance(key == KeyKind.RSA ? "RSA" : "EC");
            if (key == KeyKind.RSA) {
                generator.initialize(2048, RANDOM);
            } else {
                generator.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
            }
            KeyPair keys = generator.generateKeyPair();
            BigInteger serial = new BigInteger(64, RANDOM).add(BigInteger.ONE);
            X509Certificate certificate = new JcaX509CertificateConverter().getCertificate(
                    new JcaX509v3CertificateBuilder(name, serial, Date.from(notBefore), Date.from(notAfter), name, keys.getPublic())
                            .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature))
                            .build(new JcaContentSignerBuilder(key == KeyKind.RSA ? "SHA256withRSA" : "SHA256withECDSA").build(keys.getPrivate())));
            return new SigningCredential(keys.getPrivate(), certificate);
        } catch (GeneralSecurityException | IOException | OperatorCreationException e) {
            throw new IllegalStateException("cannot create a self-signed certificate", e);
        }
    }

    /**
     * Writes {@code <baseName>.crt}, {@code <baseName>.key} (PBES2: PBKDF2 with HMAC-SHA256, AES-256-CBC) and {@code
     * <baseName>.p12} into {@code dir} (made if missing), each readable by the owner only where the file system has POSIX
     * permissions. Refuses to overwrite: a {@link FileAlreadyExistsException} names the first file that exists.
     */
    public static WrittenFiles write(SigningCredential credential, Path dir, String baseName, char[] password) throws IOException {
        if (password == null || password.length == 0) {
            throw new IllegalArgumentException("a password is needed to protect the private key");
        }
        WrittenFiles files = new WrittenFiles(dir.resolve(baseName + ".crt"), dir.resolve(baseName + ".key"), dir.resolve(baseName + ".p12"));
        for (Path file : List.of(files.certificate(), files.privateKey(), files.keystore())) {
            if (Files.exists(file)) {
                throw new FileAlreadyExistsException(file.toString());
            }
        }
        boolean posix = dir.getFileSystem().supportedFileAttributeViews().contains("posix");
        Files.createDirectories(dir, ownerOnly(posix, "rwx------"));
        try {
            writeOwnerOnly(files.certificate(), pem("CERTIFICATE", credential.certificate().getEncoded()), posix);
            byte[] encryptedKey = new JcaPKCS8Generator(credential.privateKey(), new JceOpenSSLPKCS8EncryptorBuilder(PKCS8Generator.AES_256_CBC)
                    .setPRF(PKCS8Generator.PRF_HMACSHA256).setIterationCount(KEY_ITERATIONS).setRandom(RANDOM).setPassword(password)
                    .setProvider(PemKeys.BOUNCY_CASTLE).build()).generate().getContent();
            writeOwnerOnly(files.privateKey(), pem("ENCRYPTED PRIVATE KEY", encryptedKey), posix);
            KeyStore keystore = KeyStore.getInstance("PKCS12");
            keystore.load(null, null);
            keystore.setKeyEntry(baseName, credential.privateKey(), password, new Certificate[] {credential.certificate()});
            ByteArrayOutputStream p12 = new ByteArrayOutputStream();
            keystore.store(p12, password);
            writeOwnerOnly(files.keystore(), p12.toByteArray(), posix);
        } catch (GeneralSecurityException | OperatorCreationException e) {
            throw new IllegalStateException("cannot encode the key and certificate", e);
        }
        return files;
    }

    private static byte[] pem(String type, byte[] der) {
        String base64 = Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der);
        return ("-----BEGIN " + type + "-----\n" + base64 + "\n-----END " + type + "-----\n").getBytes(StandardCharsets.US_ASCII);
    }

    /** Created with mode 600 (a umask only takes bits away), so a key is never readable by others, not even briefly. */
    private static void writeOwnerOnly(Path file, byte[] content, boolean posix) throws IOException {
        Files.createFile(file, ownerOnly(posix, "rw-------"));
        Files.write(file, content);
    }

    private static FileAttribute<?>[] ownerOnly(boolean posix, String permissions) {
        return posix ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(permissions))}
                : new FileAttribute<?>[0];
    }
}
