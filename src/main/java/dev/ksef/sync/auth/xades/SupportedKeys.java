package dev.ksef.sync.auth.xades;

import java.security.PublicKey;
import java.security.interfaces.ECKey;
import java.security.interfaces.RSAKey;
import java.util.Map;
import java.util.Set;
import org.bouncycastle.asn1.ASN1Null;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.edec.EdECObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.ECNamedCurveTable;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;

/**
 * The keys that sign a KSeF login: RSA ({@code rsaEncryption}) of 2048 bits or more, or EC on P-256 (what KSeF issues),
 * P-384 or P-521. Everything else is named for the error message: "RSA-1024", "EC secp256k1", "Ed25519", "DSA".
 */
final class SupportedKeys {

    /** Appended to "unsupported key X". */
    static final String ACCEPTED = " (KSeF accepts RSA of 2048 bits or more, or EC P-256)";

    private static final Set<ASN1ObjectIdentifier> CURVES = Set.of(SECObjectIdentifiers.secp256r1, SECObjectIdentifiers.secp384r1,
            SECObjectIdentifiers.secp521r1);

    private static final Map<ASN1ObjectIdentifier, String> OTHERS = Map.of(
            EdECObjectIdentifiers.id_Ed25519, "Ed25519",
            EdECObjectIdentifiers.id_Ed448, "Ed448",
            EdECObjectIdentifiers.id_X25519, "X25519",
            EdECObjectIdentifiers.id_X448, "X448",
            X9ObjectIdentifiers.id_dsa, "DSA",
            PKCSObjectIdentifiers.id_RSASSA_PSS, "RSASSA-PSS");

    private SupportedKeys() {
    }

    /** {@code null} when {@code key} may sign a KSeF login, else what it is ("RSA-1024", "EC secp256k1", "Ed25519"). */
    static String unsupported(PublicKey key) {
        AlgorithmIdentifier algorithm = SubjectPublicKeyInfo.getInstance(key.getEncoded()).getAlgorithm();
        if (key instanceof RSAKey rsa && PKCSObjectIdentifiers.rsaEncryption.equals(algorithm.getAlgorithm())) {
            int bits = rsa.getModulus().bitLength();
            return bits >= 2048 ? null : "RSA-" + bits;
        }
        if (key instanceof ECKey && X9ObjectIdentifiers.id_ecPublicKey.equals(algorithm.getAlgorithm())
                && CURVES.contains(algorithm.getParameters())) {
            return null;
        }
        return describe(algorithm);
    }

    /** The key algorithm of a certificate or a PKCS#8 key, in words. */
    static String describe(AlgorithmIdentifier algorithm) {
        ASN1ObjectIdentifier oid = algorithm.getAlgorithm();
        if (X9ObjectIdentifiers.id_ecPublicKey.equals(oid)) {
            if (algorithm.getParameters() instanceof ASN1ObjectIdentifier curve) {
                String name = ECNamedCurveTable.getName(curve);
                return "EC " + (name == null ? curve.getId() : name);
            }
            return algorithm.getParameters() == null || algorithm.getParameters() instanceof ASN1Null ? "EC without its curve"
                    : "EC with explicit curve parameters";
        }
        if (PKCSObjectIdentifiers.rsaEncryption.equals(oid)) {
            return "RSA";
        }
        return OTHERS.getOrDefault(oid, "of algorithm " + oid.getId());
    }
}
