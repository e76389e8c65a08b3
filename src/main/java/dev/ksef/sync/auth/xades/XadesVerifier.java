package dev.ksef.sync.auth.xades;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.security.cert.X509Certificate;
import java.time.OffsetDateTime;
import java.util.Map;
import java.util.Set;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.SAXException;

/**
 * Verifies a XAdES-signed {@code AuthTokenRequest} the way KSeF's {@code POST /auth/xades-signature} does, as far as
 * the signature goes: the client runs it on its own signed bytes before posting them, the simulator runs it between
 * its document checks and its challenge and subject checks. Each refusal is a {@link XadesVerificationException}
 * with KSeF's code (21001, 9101, 9102, 9103, 9105) and detail. JDK XMLDSig (JSR 105) only.
 *
 * <p>{@link #verify} runs, in KSeF's order: the XAdES-BES structure, the algorithm allow-lists, the references
 * (which must cover the root request and the signed properties, nothing outside the document), the KeyInfo
 * certificate and its key size, core validation in secure mode, then the signing certificate and signing time
 * properties. Nothing here knows about challenges, schemas or permissions.
 */
public final class XadesVerifier {

    public static final String AUTH_NAMESPACE_20 = "http://ksef.mf.gov.pl/auth/token/2.0";
    public static final String AUTH_NAMESPACE_21 = "http://ksef.mf.gov.pl/auth/token/2.1";
    public static final Set<String> AUTH_NAMESPACES = Set.of(AUTH_NAMESPACE_20, AUTH_NAMESPACE_21);
    public static final String XMLDSIG_NAMESPACE = Dom.XMLDSIG;
    public static final String XADES_NAMESPACE = Dom.XADES;

    /**
     * A signature that holds: the signed request (the document's root element, the one the signature covers), the
     * signer's certificate and the claimed signing time.
     */
    public record Verified(Element request, X509Certificate certificate, OffsetDateTime signingTime) {
    }

    /**
     * Parses the bytes namespace-aware with a DOCTYPE refused (no entities, no external anything); not well-formed
     * XML is KSeF's 21001 with the parser's message.
     */
    public static Document parse(byte[] xml) {
        try {
            return builder().parse(new ByteArrayInputStream(xml));
        } catch (SAXException e) {
            throw SignatureRejections.unreadable(e.getMessage());
        } catch (IOException e) {
            throw SignatureRejections.unreadable(e.toString());
        }
    }

    /**
     * The document's only {@code ds:Signature}, which must be a child of the root {@code AuthTokenRequest} (namespace
     * 2.0 or 2.1): 9101 for another document, 9102 without a signature, 9103 with more than one.
     */
    public static Element envelope(Document document) {
        Element root = document.getDocumentElement();
        if (!"AuthTokenRequest".equals(root.getLocalName()) || !AUTH_NAMESPACES.contains(root.getNamespaceURI())) {
            throw SignatureRejections.invalidDocument("Oczekiwano elementu AuthTokenRequest w przestrzeni nazw "
                    + AUTH_NAMESPACE_20 + " lub " + AUTH_NAMESPACE_21 + ".");
        }
        NodeList signatures = document.getElementsByTagNameNS(XMLDSIG_NAMESPACE, "Signature");
        if (signatures.getLength() == 0) {
            throw SignatureRejections.noSignature();
        }
        if (signatures.getLength() > 1) {
            throw SignatureRejections.tooManySignatures(signatures.getLength());
        }
        Element signature = (Element) signatures.item(0);
        if (signature.getParentNode() != root) {
            throw SignatureRejections.invalidDocument("Podpis musi być elementem podrzędnym AuthTokenRequest (enveloped).");
        }
        return signature;
    }

    /** Checks the signature of a parsed document (see the class comment for the order); 9105 with KSeF's detail when it fails. */
    public Verified verify(Document document) {
        Element signature = envelope(document);
        XadesStructure structure = XadesStructure.of(signature);
        AlgorithmPolicy.check(structure);
        Map<String, Element> ids = ReferencePolicy.check(structure);
        X509Certificate certificate = SignerCertificate.of(structure);
        CoreValidation.validate(signature, certificate.getPublicKey(), ids);
        OffsetDateTime signingTime = SignedSignatureProperties.check(structure, certificate);
        return new Verified(document.getDocumentElement(), certificate, signingTime);
    }

    private static DocumentBuilder builder() {
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setNamespaceAware(true);
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            factory.setFeature("http://xml.org/sax/features/external-general-entities", false);
            factory.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
            factory.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
            factory.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
            factory.setAttribute(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
            factory.setXIncludeAware(false);
            factory.setExpandEntityReferences(false);
            DocumentBuilder builder = factory.newDocumentBuilder();
            builder.setErrorHandler(FirstXmlError.INSTANCE);
            return builder;
        } catch (ParserConfigurationException e) {
            throw new IllegalStateException("the JDK's XML parser lacks a security feature", e);
        }
    }
}
