package dev.ksef.sync.auth.xades;

import static dev.ksef.sync.auth.xades.Dom.XADES;
import static dev.ksef.sync.auth.xades.Dom.XMLDSIG;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.List;
import javax.security.auth.x500.X500Principal;
import org.w3c.dom.Element;

/**
 * The signed XAdES properties that bind the signer: {@code SigningCertificate} (or {@code V2}) must name the KeyInfo
 * certificate by its digest, under the property's own digest method, and, in v1, by issuer and serial number, compared
 * as names and numbers since signers spell them differently ({@code 2.5.4.97=#0c10...} from EU DSS, .NET's own
 * order); {@code SigningTime} must be an ISO-8601 instant with {@code Z} or an offset.
 */
final class SignedSignatureProperties {

    private SignedSignatureProperties() {
    }

    /** Checks both properties and returns the signing time. */
    static OffsetDateTime check(XadesStructure structure, X509Certificate signer) {
        boolean named = Dom.children(structure.signingCertificate()).stream().anyMatch(cert -> names(cert, signer));
        if (!named) {
            throw SignatureRejections.invalidSignature("Certyfikat z KeyInfo nie odpowiada właściwości SigningCertificate.");
        }
        try {
            return OffsetDateTime.parse(structure.signingTime().getTextContent().strip());
        } catch (DateTimeParseException e) {
            throw SignatureRejections.invalidSignature("Nieprawidłowy format czasu złożenia podpisu (SigningTime).");
        }
    }

    /** One {@code xades:Cert} names the certificate: same digest, and (v1) same issuer and serial. */
    private static boolean names(Element cert, X509Certificate signer) {
        List<Element> parts = Dom.children(cert);
        Element digestMethod = Dom.child(parts.get(0), XMLDSIG, "DigestMethod");
        Element digestValue = Dom.child(parts.get(0), XMLDSIG, "DigestValue");
        try {
            String algorithm = AlgorithmPolicy.DIGEST.get(Dom.attribute(digestMethod, "Algorithm"));
            byte[] expected = Base64.getMimeDecoder().decode(digestValue.getTextContent().strip());
            if (!MessageDigest.isEqual(expected, MessageDigest.getInstance(algorithm).digest(signer.getEncoded()))) {
                return false;
            }
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return false;
        }
        if (parts.size() < 2 || !Dom.is(parts.get(1), XADES, "IssuerSerial")) {
            return true; // SigningCertificateV2: IssuerSerialV2 is optional and the digest binds the certificate
        }
        Element issuer = Dom.child(parts.get(1), XMLDSIG, "X509IssuerName");
        Element serial = Dom.child(parts.get(1), XMLDSIG, "X509SerialNumber");
        try {
            return new X500Principal(issuer.getTextContent().strip()).equals(signer.getIssuerX500Principal())
                    && new BigInteger(serial.getTextContent().strip()).equals(signer.getSerialNumber());
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
