package dev.ksef.sync.auth.xades;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Date;
import javax.xml.crypto.dsig.CanonicalizationMethod;
import javax.xml.crypto.dsig.DigestMethod;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.w3c.dom.Document;

/**
 * Requests freshly signed by our {@link XadesSigner} at a fixed clock, {@link XadesSamples#SIGNED_AROUND}, over the
 * samples' {@link XadesSamples#CHALLENGE}, so the simulator's tests can replay them exactly like the samples; with
 * certificates valid around that time, including ones whose subject {@link SelfSignedCertificates} would never write.
 */
public final class FreshSignatures {

    public static final Instant AT = XadesSamples.SIGNED_AROUND.toInstant();

    /** SHA-1 digests (references and CertDigest), as .NET Framework 4.7.2 signs by default. */
    public static final XadesSigner.Profile SHA1 = new XadesSigner.Profile(CanonicalizationMethod.EXCLUSIVE, DigestMethod.SHA1, "ds", true);
    /** SigningCertificate before SigningTime: against the XAdES 1.3.2 schema's order. */
    public static final XadesSigner.Profile SIGNING_TIME_LAST = new XadesSigner.Profile(CanonicalizationMethod.EXCLUSIVE, DigestMethod.SHA256, "ds", false);
    /** What the official C# SDK writes: inclusive C14N 1.0 SignedInfo, XMLDSig as the default namespace. */
    public static final XadesSigner.Profile CSHARP = new XadesSigner.Profile(CanonicalizationMethod.INCLUSIVE, DigestMethod.SHA256, "", true);

    private FreshSignatures() {
    }

    /** A self-signed seal or person certificate for {@code nip}, valid from an hour before {@link #AT} for a year. */
    public static SigningCredential credential(String nip, SelfSignedCertificates.Type type) {
        return SelfSignedCertificates.create(nip, type, SelfSignedCertificates.KeyKind.EC, AT.minus(Duration.ofHours(1)), AT.plus(Duration.ofDays(365)));
    }

    /** A self-signed EC P-256 certificate with exactly {@code subject}, e.g. {@code "2.5.4.97=VATPL-5265877635,CN=X,C=PL"}. */
    public static SigningCredential credential(String subject) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            KeyPair keys = generator.generateKeyPair();
            X500Name name = new X500Name(subject);
            var builder = new JcaX509v3CertificateBuilder(name, BigInteger.valueOf(AT.toEpochMilli()), Date.from(AT.minus(Duration.ofHours(1))),
                    Date.from(AT.plus(Duration.ofDays(365))), name, keys.getPublic());
            var certificate = new JcaX509CertificateConverter().getCertificate(
                    builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate())));
            return new SigningCredential(keys.getPrivate(), certificate);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A request for the given context over the samples' challenge. */
    public static Document request(String contextType, String contextValue, String subjectIdentifierType) {
        return AuthTokenRequestDocument.of(XadesSamples.CHALLENGE, contextType, contextValue, subjectIdentifierType);
    }

    /** A {@code certificateSubject} request for the context {@code Nip}. */
    public static Document requestForNip(String nip) {
        return request("Nip", nip, AuthTokenRequestDocument.CERTIFICATE_SUBJECT);
    }

    public static byte[] sign(Document request, SigningCredential credential) {
        return sign(request, credential, XadesSigner.Profile.KSEF);
    }

    public static byte[] sign(Document request, SigningCredential credential, XadesSigner.Profile profile) {
        return new XadesSigner(Clock.fixed(AT, ZoneOffset.UTC), profile).sign(request, credential);
    }
}
