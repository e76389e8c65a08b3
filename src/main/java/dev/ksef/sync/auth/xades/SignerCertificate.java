package dev.ksef.sync.auth.xades;

import static dev.ksef.sync.auth.xades.Dom.XMLDSIG;

import java.io.ByteArrayInputStream;
import java.security.PublicKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.w3c.dom.Element;

/**
 * The signer's certificate from {@code ds:KeyInfo/ds:X509Data/ds:X509Certificate} (the first one no other certificate
 * there was issued by, when a chain is included) and KSeF's key rule: RSA of 2048 bits or more, or EC on a curve of
 * 256 bits or more. The key is never looked up anywhere else: no {@code RetrievalMethod}, no key names.
 */
final class SignerCertificate {

    private SignerCertificate() {
    }

    static X509Certificate of(XadesStructure structure) {
        if (structure.keyInfo() == null) {
            throw SignatureRejections.profile();
        }
        List<X509Certificate> certificates = new ArrayList<>();
        for (Element data : Dom.children(structure.keyInfo(), XMLDSIG, "X509Data")) {
            for (Element encoded : Dom.children(data, XMLDSIG, "X509Certificate")) {
                certificates.add(parse(encoded.getTextContent()));
            }
        }
        X509Certificate signer = certificates.stream()
                .filter(c -> certificates.stream().noneMatch(other -> other != c && issued(c, other)))
                .findFirst().orElse(certificates.isEmpty() ? null : certificates.get(0));
        if (signer == null) {
            throw SignatureRejections.profile();
        }
        if (!strongEnough(signer.getPublicKey())) {
            throw SignatureRejections.algorithm();
        }
        return signer;
    }

    private static X509Certificate parse(String base64) {
        try {
            byte[] der = Base64.getMimeDecoder().decode(base64);
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(der));
        } catch (CertificateException | IllegalArgumentException e) {
            throw SignatureRejections.profile();
        }
    }

    /** {@code issuer} issued {@code subject}, by name: a chain in KeyInfo lists the signer and its CAs. */
    private static boolean issued(X509Certificate issuer, X509Certificate subject) {
        return !issuer.getSubjectX500Principal().equals(issuer.getIssuerX500Principal())
                && issuer.getSubjectX500Principal().equals(subject.getIssuerX500Principal());
    }

    private static boolean strongEnough(PublicKey key) {
        if (key instanceof RSAPublicKey rsa) {
            return rsa.getModulus().bitLength() >= 2048;
        }
        if (key instanceof ECPublicKey ec) {
            return ec.getParams().getCurve().getField().getFieldSize() >= 256;
        }
        return false;
    }
}
