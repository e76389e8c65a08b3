package dev.ksef.sync.auth.xades;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ksef.sync.auth.xades.SelfSignedCertificates.KeyKind;
import dev.ksef.sync.auth.xades.SelfSignedCertificates.Type;
import dev.ksef.sync.auth.xades.SelfSignedCertificates.WrittenFiles;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPublicKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.pkcs.PBES2Parameters;
import org.bouncycastle.asn1.pkcs.PBKDF2Params;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.IETFUtils;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SelfSignedCertificatesTest {

    private static final String NIP = "5265877635";
    private static final char[] PASSWORD = "test-password".toCharArray();
    private static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    private static final Instant NOT_BEFORE = NOW.minus(Duration.ofHours(1));
    private static final Instant NOT_AFTER = NOW.plus(Duration.ofDays(365));

    private static final ASN1ObjectIdentifier ORGANIZATION_IDENTIFIER = new ASN1ObjectIdentifier("2.5.4.97");
    private static final ASN1ObjectIdentifier ORGANIZATION = new ASN1ObjectIdentifier("2.5.4.10");
    private static final ASN1ObjectIdentifier COMMON_NAME = new ASN1ObjectIdentifier("2.5.4.3");
    private static final ASN1ObjectIdentifier COUNTRY = new ASN1ObjectIdentifier("2.5.4.6");
    private static final ASN1ObjectIdentifier GIVEN_NAME = new ASN1ObjectIdentifier("2.5.4.42");
    private static final ASN1ObjectIdentifier SURNAME = new ASN1ObjectIdentifier("2.5.4.4");
    private static final ASN1ObjectIdentifier SERIAL_NUMBER = new ASN1ObjectIdentifier("2.5.4.5");

    @TempDir
    Path dir;

    @Test
    void sealHasTheSubjectKsefReadsAndAnEcP256Key() throws Exception {
        SigningCredential seal = SelfSignedCertificates.create(NIP, Type.SEAL, KeyKind.EC, NOT_BEFORE, NOT_AFTER);
        X509Certificate certificate = seal.certificate();
        X500Name subject = X500Name.getInstance(certificate.getSubjectX500Principal().getEncoded());
        assertEquals(List.of("VATPL-" + NIP), values(subject, ORGANIZATION_IDENTIFIER));
        assertEquals(NIP, ksefIdentifier("(VATPL).*?(?<identifier>\\d{10})", values(subject, ORGANIZATION_IDENTIFIER).get(0)));
        assertEquals(1, values(subject, ORGANIZATION).size());
        assertEquals(values(subject, ORGANIZATION), values(subject, COMMON_NAME));
        assertEquals(List.of("PL"), values(subject, COUNTRY));
        assertEquals(List.of(), values(subject, GIVEN_NAME), "a seal has no givenName");
        assertEquals(List.of(), values(subject, SURNAME), "a seal has no surname");
        assertInstanceOf(ECPrivateKey.class, seal.privateKey());
        assertEquals(SECObjectIdentifiers.secp256r1, SubjectPublicKeyInfo.getInstance(certificate.getPublicKey().getEncoded()).getAlgorithm().getParameters());
        assertInstanceOf(ECPublicKey.class, certificate.getPublicKey());
        assertEquals("SHA256withECDSA", certificate.getSigAlgName());
        assertCommon(certificate);
    }

    @Test
    void personHasTheSubjectKsefReadsAndAnRsa2048Key() throws Exception {
        SigningCredential person = SelfSignedCertificates.create(NIP, Type.PERSON, KeyKind.RSA, NOT_BEFORE, NOT_AFTER);
        X509Certificate certificate = person.certificate();
        X500Name subject = X500Name.getInstance(certificate.getSubjectX500Principal().getEncoded());
        assertEquals(List.of("TINPL-" + NIP), values(subject, SERIAL_NUMBER));
        assertEquals(NIP, ksefIdentifier("(TINPL|NIP).*?(?<identifier>\\d{10})", values(subject, SERIAL_NUMBER).get(0)));
        assertEquals(1, values(subject, GIVEN_NAME).size());
        assertEquals(1, values(subject, SURNAME).size());
        assertEquals(1, values(subject, COMMON_NAME).size());
        assertEquals(List.of("PL"), values(subject, COUNTRY));
        assertEquals(List.of(), values(subject, ORGANIZATION_IDENTIFIER));
        assertInstanceOf(RSAPrivateCrtKey.class, person.privateKey());
        assertEquals(2048, ((RSAPublicKey) certificate.getPublicKey()).getModulus().bitLength());
        assertEquals("SHA256withRSA", certificate.getSigAlgName());
        assertCommon(certificate);
    }

    @Test
    void refusesAnInvalidNipAndAnEmptyValidity() {
        assertThrows(IllegalArgumentException.class, () -> SelfSignedCertificates.create("5265877636", Type.SEAL, KeyKind.EC, NOT_BEFORE, NOT_AFTER));
        assertThrows(IllegalArgumentException.class, () -> SelfSignedCertificates.create("526587763", Type.SEAL, KeyKind.EC, NOT_BEFORE, NOT_AFTER));
        assertThrows(IllegalArgumentException.class, () -> SelfSignedCertificates.create(NIP, Type.SEAL, KeyKind.EC, NOT_AFTER, NOT_BEFORE));
    }

    @Test
    void writesOwnerOnlyFilesThatLoadBack() throws Exception {
        for (KeyKind key : KeyKind.values()) {
            SigningCredential credential = SelfSignedCertificates.create(NIP, Type.SEAL, key, NOT_BEFORE, NOT_AFTER);
            Path out = dir.resolve("new/" + key);
            WrittenFiles files = SelfSignedCertificates.write(credential, out, "ksef-seal-" + NIP, PASSWORD);
            assertEquals(out.resolve("ksef-seal-" + NIP + ".crt"), files.certificate());
            assertEquals(out.resolve("ksef-seal-" + NIP + ".key"), files.privateKey());
            assertEquals(out.resolve("ksef-seal-" + NIP + ".p12"), files.keystore());
            assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(out)));
            for (Path file : List.of(files.certificate(), files.privateKey(), files.keystore())) {
                assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)), file.toString());
            }
            assertTrue(Files.readString(files.certificate()).startsWith("-----BEGIN CERTIFICATE-----\n"));
            assertEncryptedPkcs8(files.privateKey());

            SigningCredential fromKeystore = SigningCredentials.load(files.keystore().toString(), "", PASSWORD, NOW);
            SigningCredential fromPem = SigningCredentials.load(files.certificate().toString(), files.privateKey().toString(), PASSWORD, NOW);
            assertEquals(credential.certificate(), fromKeystore.certificate());
            assertEquals(credential.certificate(), fromPem.certificate());
            assertArrayEquals(credential.privateKey().getEncoded(), fromKeystore.privateKey().getEncoded());
            assertArrayEquals(credential.privateKey().getEncoded(), fromPem.privateKey().getEncoded());
        }
    }

    @Test
    void neverOverwrites() throws Exception {
        SigningCredential credential = SelfSignedCertificates.create(NIP, Type.SEAL, KeyKind.EC, NOT_BEFORE, NOT_AFTER);
        Files.writeString(dir.resolve("ksef-seal-" + NIP + ".p12"), "someone's keystore");
        FileAlreadyExistsException e = assertThrows(FileAlreadyExistsException.class,
                () -> SelfSignedCertificates.write(credential, dir, "ksef-seal-" + NIP, PASSWORD));
        assertEquals(dir.resolve("ksef-seal-" + NIP + ".p12").toString(), e.getFile());
        assertTrue(Files.notExists(dir.resolve("ksef-seal-" + NIP + ".crt")), "nothing is written when one file is in the way");
        assertEquals("someone's keystore", Files.readString(dir.resolve("ksef-seal-" + NIP + ".p12")));
    }

    private static void assertCommon(X509Certificate certificate) throws Exception {
        assertEquals(3, certificate.getVersion());
        assertTrue(certificate.getSerialNumber().signum() > 0);
        assertEquals(certificate.getSubjectX500Principal(), certificate.getIssuerX500Principal());
        certificate.verify(certificate.getPublicKey());
        boolean[] keyUsage = certificate.getKeyUsage();
        assertTrue(keyUsage[0], "digitalSignature");
        for (int i = 1; i < keyUsage.length; i++) {
            assertTrue(!keyUsage[i], "only digitalSignature, bit " + i);
        }
        assertEquals(NOT_BEFORE, certificate.getNotBefore().toInstant());
        assertEquals(NOT_AFTER, certificate.getNotAfter().toInstant());
    }

    /** PEM ENCRYPTED PRIVATE KEY: PKCS#8 with PBES2, PBKDF2 with HMAC-SHA256, AES-256-CBC (what KSeF's web app hands out). */
    private static void assertEncryptedPkcs8(Path key) throws Exception {
        assertTrue(Files.readString(key).startsWith("-----BEGIN ENCRYPTED PRIVATE KEY-----\n"));
        try (PEMParser parser = new PEMParser(Files.newBufferedReader(key))) {
            PKCS8EncryptedPrivateKeyInfo info = (PKCS8EncryptedPrivateKeyInfo) parser.readObject();
            var algorithm = info.toASN1Structure().getEncryptionAlgorithm();
            assertEquals(PKCSObjectIdentifiers.id_PBES2, algorithm.getAlgorithm());
            PBES2Parameters pbes2 = PBES2Parameters.getInstance(algorithm.getParameters());
            assertEquals(NISTObjectIdentifiers.id_aes256_CBC, pbes2.getEncryptionScheme().getAlgorithm());
            assertEquals(PKCSObjectIdentifiers.id_PBKDF2, pbes2.getKeyDerivationFunc().getAlgorithm());
            PBKDF2Params pbkdf2 = PBKDF2Params.getInstance(pbes2.getKeyDerivationFunc().getParameters());
            assertEquals(PKCSObjectIdentifiers.id_hmacWithSHA256, pbkdf2.getPrf().getAlgorithm());
        }
    }

    private static List<String> values(X500Name name, ASN1ObjectIdentifier type) {
        return java.util.Arrays.stream(name.getRDNs(type)).map(RDN::getFirst).map(a -> IETFUtils.valueToString(a.getValue())).toList();
    }

    /** The identifier as KSeF's documented pattern takes it from the attribute. */
    private static String ksefIdentifier(String pattern, String value) {
        Matcher matcher = Pattern.compile(pattern).matcher(value);
        assertTrue(matcher.find(), value);
        return matcher.group("identifier");
    }
}
