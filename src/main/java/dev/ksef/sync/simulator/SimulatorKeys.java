package dev.ksef.sync.simulator;

import dev.ksef.sync.api.PublicKeyCertificate;
import dev.ksef.sync.crypto.PublicKeyCertificates;
import dev.ksef.sync.crypto.Sha256;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The simulated Ministry of Finance keys: one RSA-2048 key pair per usage, each in a self-signed X.509 certificate,
 * published like {@code GET /security/public-key-certificates} publishes them.
 */
final class SimulatorKeys {

    private final KeyPair tokenKeys;
    private final KeyPair symmetricKeys;
    private final List<PublicKeyCertificate> published;

    SimulatorKeys() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            tokenKeys = generator.generateKeyPair();
            symmetricKeys = generator.generateKeyPair();
            OffsetDateTime from = OffsetDateTime.now(ZoneOffset.UTC).minusDays(30).withNano(0);
            OffsetDateTime to = from.plusYears(2);
            published = List.of(
                    publish(tokenKeys, from, to, PublicKeyCertificates.KSEF_TOKEN_ENCRYPTION),
                    publish(symmetricKeys, from, to, PublicKeyCertificates.SYMMETRIC_KEY_ENCRYPTION));
        } catch (Exception e) {
            throw new IllegalStateException("cannot create the simulator's keys", e);
        }
    }

    List<PublicKeyCertificate> published() {
        return published;
    }

    PrivateKey tokenKey() {
        return tokenKeys.getPrivate();
    }

    PrivateKey symmetricKey() {
        return symmetricKeys.getPrivate();
    }

    boolean isKnownKeyId(String publicKeyId) {
        return published.stream().anyMatch(c -> c.publicKeyId().equals(publicKeyId));
    }

    private static PublicKeyCertificate publish(KeyPair keys, OffsetDateTime from, OffsetDateTime to, String usage) throws Exception {
        X500Name subject = new X500Name("CN=Ministerstwo Finansow (KSeF simulator), O=ksef-camel-sync, C=PL");
        X509Certificate certificate = new JcaX509CertificateConverter().getCertificate(new JcaX509v3CertificateBuilder(
                subject, BigInteger.valueOf(System.nanoTime()), Date.from(from.toInstant()), Date.from(to.toInstant()),
                subject, keys.getPublic()).build(new JcaContentSignerBuilder("SHA256withRSA").build(keys.getPrivate())));
        byte[] der = certificate.getEncoded();
        return new PublicKeyCertificate(Base64.getEncoder().encodeToString(der), Sha256.base64(der),
                Sha256.base64(keys.getPublic().getEncoded()), from, to, List.of(usage));
    }
}
