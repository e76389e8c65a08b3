package dev.ksef.sync.auth.xades;

import java.security.PublicKey;
import java.util.Map;
import javax.xml.crypto.KeySelector;
import javax.xml.crypto.MarshalException;
import javax.xml.crypto.URIDereferencer;
import javax.xml.crypto.URIReferenceException;
import javax.xml.crypto.dsig.Reference;
import javax.xml.crypto.dsig.XMLSignature;
import javax.xml.crypto.dsig.XMLSignatureException;
import javax.xml.crypto.dsig.XMLSignatureFactory;
import javax.xml.crypto.dsig.dom.DOMValidateContext;
import org.w3c.dom.Element;

/**
 * XMLDSig core validation with the JDK (JSR 105) in secure-validation mode, the key being the one of the KeyInfo
 * certificate: first each reference's digest (KSeF names the failing reference), then the signature value over
 * {@code SignedInfo}. Only same-document references are dereferenced.
 */
final class CoreValidation {

    private CoreValidation() {
    }

    static void validate(Element signature, PublicKey key, Map<String, Element> ids) {
        XMLSignatureFactory factory = XMLSignatureFactory.getInstance("DOM"); // an instance is not for concurrent use
        DOMValidateContext context = new DOMValidateContext(KeySelector.singletonKeySelector(key), signature);
        context.setProperty("org.jcp.xml.dsig.secureValidation", Boolean.TRUE);
        ids.values().forEach(element -> context.setIdAttributeNS(element, null, "Id"));
        context.setURIDereferencer(sameDocumentOnly(factory.getURIDereferencer()));
        XMLSignature unmarshalled;
        try {
            unmarshalled = factory.unmarshalXMLSignature(context);
        } catch (MarshalException e) {
            throw SignatureRejections.negative();
        }
        try {
            for (Reference reference : unmarshalled.getSignedInfo().getReferences()) {
                if (!reference.validate(context)) {
                    throw SignatureRejections.digest(reference.getURI());
                }
            }
            if (!unmarshalled.getSignatureValue().validate(context)) {
                throw SignatureRejections.negative();
            }
        } catch (XadesVerificationException rejection) {
            throw rejection;
        } catch (XMLSignatureException | RuntimeException e) {
            throw SignatureRejections.negative();
        }
    }

    private static URIDereferencer sameDocumentOnly(URIDereferencer standard) {
        return (reference, context) -> {
            String uri = reference.getURI();
            if (uri == null || !(uri.isEmpty() || uri.startsWith("#"))) {
                throw new URIReferenceException("only same-document references are dereferenced");
            }
            return standard.dereference(reference, context);
        };
    }
}
