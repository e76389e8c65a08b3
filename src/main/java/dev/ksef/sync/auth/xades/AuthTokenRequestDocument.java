package dev.ksef.sync.auth.xades;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/**
 * The unsigned {@code AuthTokenRequest} of a certificate login, built as a namespace-aware DOM so the signer signs the
 * very nodes it serializes: {@code Challenge}, {@code ContextIdentifier} (one of {@code Nip}, {@code InternalId},
 * {@code NipVatUe}) and {@code SubjectIdentifierType}, in KSeF's namespace {@code http://ksef.mf.gov.pl/auth/token/2.0}.
 * No whitespace between elements: nothing can be reformatted after signing.
 */
public final class AuthTokenRequestDocument {

    public static final String NAMESPACE = "http://ksef.mf.gov.pl/auth/token/2.0";
    /** The subject is read from the certificate's subject (NIP from organizationIdentifier or serialNumber). */
    public static final String CERTIFICATE_SUBJECT = "certificateSubject";
    /** The subject is the certificate's SHA-256 fingerprint, for certificates without a NIP or PESEL. */
    public static final String CERTIFICATE_FINGERPRINT = "certificateFingerprint";

    private AuthTokenRequestDocument() {
    }

    /** A login into the context of {@code nip}. */
    public static Document forNip(String challenge, String nip, String subjectIdentifierType) {
        return of(challenge, "Nip", nip, subjectIdentifierType);
    }

    /** A login into a context of the given type ({@code Nip}, {@code InternalId}, {@code NipVatUe}). */
    public static Document of(String challenge, String contextType, String contextValue, String subjectIdentifierType) {
        if (!CERTIFICATE_SUBJECT.equals(subjectIdentifierType) && !CERTIFICATE_FINGERPRINT.equals(subjectIdentifierType)) {
            throw new IllegalArgumentException("subject identifier type must be certificateSubject or certificateFingerprint: "
                    + subjectIdentifierType);
        }
        Document document = newDocument();
        Element root = document.createElementNS(NAMESPACE, "AuthTokenRequest");
        // declared as an attribute too, so that inclusive canonicalization sees at signing what a verifier parses
        root.setAttributeNS(XMLConstants.XMLNS_ATTRIBUTE_NS_URI, "xmlns", NAMESPACE);
        document.appendChild(root);
        root.appendChild(text(document, "Challenge", challenge));
        Element context = document.createElementNS(NAMESPACE, "ContextIdentifier");
        context.appendChild(text(document, contextType, contextValue));
        root.appendChild(context);
        root.appendChild(text(document, "SubjectIdentifierType", subjectIdentifierType));
        return document;
    }

    private static Element text(Document document, String name, String value) {
        Element element = document.createElementNS(NAMESPACE, name);
        element.setTextContent(value);
        return element;
    }

    private static Document newDocument() {
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setNamespaceAware(true);
            return factory.newDocumentBuilder().newDocument();
        } catch (ParserConfigurationException e) {
            throw new IllegalStateException(e);
        }
    }
}
