package dev.ksef.sync.auth.xades;

import static dev.ksef.sync.auth.xades.Dom.XADES;
import static dev.ksef.sync.auth.xades.Dom.XMLDSIG;

import java.util.List;
import java.util.Map;
import org.w3c.dom.Element;

/**
 * The parts of an XAdES-BES signature the later checks read, found by walking the signature as the XMLDSig and
 * XAdES 1.3.2 schemas order it: {@code ds:SignedInfo}, {@code ds:SignatureValue}, {@code ds:KeyInfo}, {@code ds:Object}s,
 * one of which holds {@code xades:QualifyingProperties} whose {@code Target} names the signature, with
 * {@code SignedProperties/SignedSignatureProperties} holding {@code SigningTime} and then {@code SigningCertificate}
 * (or {@code SigningCertificateV2}). Any departure is KSeF's "not an accepted XAdES profile" (9105).
 */
record XadesStructure(Element signature, String signatureId, Element signedInfo, Element keyInfo, Element signedProperties,
                      Element signingTime, Element signingCertificate) {

    /** The XSD order of {@code SignedSignatureProperties}: elements of one rank are alternatives. */
    private static final Map<String, Integer> SIGNATURE_PROPERTY_RANK = Map.of(
            "SigningTime", 0, "SigningCertificate", 1, "SigningCertificateV2", 1, "SignaturePolicyIdentifier", 2,
            "SignatureProductionPlace", 3, "SignatureProductionPlaceV2", 3, "SignerRole", 4, "SignerRoleV2", 4);

    static XadesStructure of(Element signature) {
        List<Element> parts = Dom.children(signature);
        if (parts.size() < 2 || !Dom.is(parts.get(0), XMLDSIG, "SignedInfo") || !Dom.is(parts.get(1), XMLDSIG, "SignatureValue")) {
            throw SignatureRejections.profile();
        }
        checkSignedInfo(parts.get(0));
        Element keyInfo = null;
        Element qualifyingProperties = null;
        for (int i = 2; i < parts.size(); i++) {
            Element part = parts.get(i);
            if (i == 2 && Dom.is(part, XMLDSIG, "KeyInfo")) {
                keyInfo = part;
            } else if (!Dom.is(part, XMLDSIG, "Object")) {
                throw SignatureRejections.profile();
            } else {
                for (Element held : Dom.children(part, XADES, "QualifyingProperties")) {
                    if (qualifyingProperties != null) {
                        throw SignatureRejections.profile();
                    }
                    qualifyingProperties = held;
                }
            }
        }
        String signatureId = Dom.attribute(signature, "Id");
        if (qualifyingProperties == null || signatureId == null || signatureId.isEmpty()
                || !("#" + signatureId).equals(Dom.attribute(qualifyingProperties, "Target"))) {
            throw SignatureRejections.profile();
        }
        Element signedProperties = firstOf(qualifyingProperties, "SignedProperties", "UnsignedProperties");
        String signedPropertiesId = Dom.attribute(signedProperties, "Id");
        if (signedPropertiesId == null || signedPropertiesId.isEmpty()) {
            throw SignatureRejections.profile();
        }
        Element signatureProperties = firstOf(signedProperties, "SignedSignatureProperties", "SignedDataObjectProperties");
        List<Element> properties = Dom.children(signatureProperties);
        int lastRank = -1;
        for (Element property : properties) {
            Integer rank = XADES.equals(property.getNamespaceURI()) ? SIGNATURE_PROPERTY_RANK.get(property.getLocalName()) : null;
            if (rank == null || rank <= lastRank) {
                throw SignatureRejections.profile();
            }
            lastRank = rank;
        }
        if (properties.size() < 2 || !Dom.is(properties.get(0), XADES, "SigningTime")
                || SIGNATURE_PROPERTY_RANK.get(properties.get(1).getLocalName()) != 1) {
            throw SignatureRejections.profile();
        }
        Element signingCertificate = properties.get(1);
        checkCertificates(signingCertificate);
        return new XadesStructure(signature, signatureId, parts.get(0), keyInfo, signedProperties, properties.get(0), signingCertificate);
    }

    /** {@code CanonicalizationMethod}, {@code SignatureMethod}, then {@code Reference+}, each {@code Transforms?}, {@code DigestMethod}, {@code DigestValue}. */
    private static void checkSignedInfo(Element signedInfo) {
        List<Element> parts = Dom.children(signedInfo);
        if (parts.size() < 3 || !Dom.is(parts.get(0), XMLDSIG, "CanonicalizationMethod") || !Dom.is(parts.get(1), XMLDSIG, "SignatureMethod")) {
            throw SignatureRejections.profile();
        }
        for (Element reference : parts.subList(2, parts.size())) {
            List<Element> inside = Dom.children(reference);
            int digestAt = !inside.isEmpty() && Dom.is(inside.get(0), XMLDSIG, "Transforms") ? 1 : 0;
            if (!Dom.is(reference, XMLDSIG, "Reference") || inside.size() != digestAt + 2
                    || !Dom.is(inside.get(digestAt), XMLDSIG, "DigestMethod") || !Dom.is(inside.get(digestAt + 1), XMLDSIG, "DigestValue")) {
                throw SignatureRejections.profile();
            }
        }
    }

    /** {@code SignedProperties} or {@code SignedSignatureProperties}: the first child, alone or before its one optional sibling. */
    private static Element firstOf(Element parent, String first, String optionalSecond) {
        List<Element> children = Dom.children(parent);
        if (children.isEmpty() || children.size() > 2 || !Dom.is(children.get(0), XADES, first)
                || children.size() == 2 && !Dom.is(children.get(1), XADES, optionalSecond)) {
            throw SignatureRejections.profile();
        }
        return children.get(0);
    }

    /** {@code Cert+}, each {@code CertDigest} then {@code IssuerSerial} (v1, required) or {@code IssuerSerialV2} (v2, optional). */
    private static void checkCertificates(Element signingCertificate) {
        boolean v2 = signingCertificate.getLocalName().equals("SigningCertificateV2");
        List<Element> certs = Dom.children(signingCertificate);
        if (certs.isEmpty()) {
            throw SignatureRejections.profile();
        }
        for (Element cert : certs) {
            List<Element> parts = Dom.children(cert);
            boolean digestFirst = !parts.isEmpty() && Dom.is(parts.get(0), XADES, "CertDigest");
            boolean serialOk = v2 ? parts.size() == 1 || parts.size() == 2 && Dom.is(parts.get(1), XADES, "IssuerSerialV2")
                    : parts.size() == 2 && Dom.is(parts.get(1), XADES, "IssuerSerial");
            if (!Dom.is(cert, XADES, "Cert") || !digestFirst || !serialOk) {
                throw SignatureRejections.profile();
            }
            List<Element> digest = Dom.children(parts.get(0));
            if (digest.size() != 2 || !Dom.is(digest.get(0), XMLDSIG, "DigestMethod") || !Dom.is(digest.get(1), XMLDSIG, "DigestValue")) {
                throw SignatureRejections.profile();
            }
            if (!v2) {
                List<Element> serial = Dom.children(parts.get(1));
                if (serial.size() != 2 || !Dom.is(serial.get(0), XMLDSIG, "X509IssuerName")
                        || !Dom.is(serial.get(1), XMLDSIG, "X509SerialNumber")) {
                    throw SignatureRejections.profile();
                }
            }
        }
    }

    /** Every {@code CertDigest/ds:DigestMethod} of the signing certificate property. */
    List<Element> certDigestMethods() {
        return Dom.children(signingCertificate).stream()
                .map(cert -> Dom.children(Dom.children(cert).get(0)).get(0))
                .toList();
    }
}
