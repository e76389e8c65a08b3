package dev.ksef.sync.auth.xades;

import static dev.ksef.sync.auth.xades.Dom.XMLDSIG;

import java.util.Map;
import java.util.Set;
import org.w3c.dom.Element;

/**
 * The algorithms KSeF lists as accepted for XAdES login (canonicalization, signature, digest, transforms), less the
 * SHA-1 family, which KSeF DEMO and PRD refuse although the list names it. Anything else is refused with KSeF's
 * "unsupported algorithm" detail (9105).
 */
final class AlgorithmPolicy {

    static final String ENVELOPED = "http://www.w3.org/2000/09/xmldsig#enveloped-signature";
    static final String XPATH = "http://www.w3.org/TR/1999/REC-xpath-19991116";
    static final String XPATH_FILTER2 = "http://www.w3.org/2002/06/xmldsig-filter2";
    static final String BASE64 = "http://www.w3.org/2000/09/xmldsig#base64";
    /** The one XPath expression KSeF accepts in an XPath transform. */
    static final String XPATH_NOT_SIGNATURE = "not(ancestor-or-self::ds:Signature)";

    static final Set<String> CANONICALIZATION = Set.of(
            "http://www.w3.org/TR/2001/REC-xml-c14n-20010315",
            "http://www.w3.org/TR/2001/REC-xml-c14n-20010315#WithComments",
            "http://www.w3.org/2006/12/xml-c14n11",
            "http://www.w3.org/2006/12/xml-c14n11#WithComments",
            "http://www.w3.org/2001/10/xml-exc-c14n#",
            "http://www.w3.org/2001/10/xml-exc-c14n#WithComments");

    static final Set<String> SIGNATURE = Set.of(
            "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256",
            "http://www.w3.org/2001/04/xmldsig-more#rsa-sha384",
            "http://www.w3.org/2001/04/xmldsig-more#rsa-sha512",
            "http://www.w3.org/2007/05/xmldsig-more#sha256-rsa-MGF1",
            "http://www.w3.org/2007/05/xmldsig-more#sha384-rsa-MGF1",
            "http://www.w3.org/2007/05/xmldsig-more#sha512-rsa-MGF1",
            "http://www.w3.org/2007/05/xmldsig-more#sha3-256-rsa-MGF1",
            "http://www.w3.org/2007/05/xmldsig-more#sha3-384-rsa-MGF1",
            "http://www.w3.org/2007/05/xmldsig-more#sha3-512-rsa-MGF1",
            "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256",
            "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha384",
            "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha512",
            "http://www.w3.org/2021/04/xmldsig-more#ecdsa-sha3-256",
            "http://www.w3.org/2021/04/xmldsig-more#ecdsa-sha3-384",
            "http://www.w3.org/2021/04/xmldsig-more#ecdsa-sha3-512");

    /** Digest algorithm URI to its JCA name. */
    static final Map<String, String> DIGEST = Map.of(
            "http://www.w3.org/2001/04/xmlenc#sha256", "SHA-256",
            "http://www.w3.org/2001/04/xmldsig-more#sha384", "SHA-384",
            "http://www.w3.org/2001/04/xmlenc#sha512", "SHA-512",
            "http://www.w3.org/2007/05/xmldsig-more#sha3-256", "SHA3-256",
            "http://www.w3.org/2007/05/xmldsig-more#sha3-384", "SHA3-384",
            "http://www.w3.org/2007/05/xmldsig-more#sha3-512", "SHA3-512");

    private AlgorithmPolicy() {
    }

    /** Checks every algorithm the signature names, the certificate digests included. */
    static void check(XadesStructure structure) {
        Element signedInfo = structure.signedInfo();
        require(CANONICALIZATION.contains(algorithm(signedInfo, "CanonicalizationMethod")));
        require(SIGNATURE.contains(algorithm(signedInfo, "SignatureMethod")));
        for (Element reference : Dom.children(signedInfo, XMLDSIG, "Reference")) {
            Element transforms = Dom.child(reference, XMLDSIG, "Transforms");
            if (transforms != null) {
                for (Element transform : Dom.children(transforms, XMLDSIG, "Transform")) {
                    checkTransform(transform);
                }
            }
            require(DIGEST.containsKey(algorithm(reference, "DigestMethod")));
        }
        for (Element digestMethod : structure.certDigestMethods()) {
            require(DIGEST.containsKey(Dom.attribute(digestMethod, "Algorithm")));
        }
    }

    private static void checkTransform(Element transform) {
        String algorithm = Dom.attribute(transform, "Algorithm");
        if (XPATH.equals(algorithm)) {
            Element xpath = Dom.child(transform, XMLDSIG, "XPath");
            require(xpath != null && XPATH_NOT_SIGNATURE.equals(xpath.getTextContent().strip())
                    && XMLDSIG.equals(xpath.lookupNamespaceURI("ds")));
            return;
        }
        require(ENVELOPED.equals(algorithm) || XPATH_FILTER2.equals(algorithm) || BASE64.equals(algorithm)
                || CANONICALIZATION.contains(algorithm));
    }

    private static String algorithm(Element parent, String child) {
        Element method = Dom.child(parent, XMLDSIG, child);
        return method == null ? null : Dom.attribute(method, "Algorithm");
    }

    private static void require(boolean accepted) {
        if (!accepted) {
            throw SignatureRejections.algorithm();
        }
    }
}
