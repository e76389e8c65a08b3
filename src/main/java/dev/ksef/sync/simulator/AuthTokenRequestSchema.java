package dev.ksef.sync.simulator;

import dev.ksef.sync.auth.xades.FirstXmlError;
import dev.ksef.sync.auth.xades.XadesVerificationException;
import dev.ksef.sync.auth.xades.XadesVerifier;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import javax.xml.transform.dom.DOMSource;
import javax.xml.transform.stream.StreamSource;
import javax.xml.validation.Schema;
import javax.xml.validation.SchemaFactory;
import javax.xml.validation.Validator;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.SAXException;

/**
 * KSeF's schema check of a signed {@code AuthTokenRequest}: the document, with its enveloped {@code ds:Signature}
 * taken out (KSeF's schemas have no place for it), must match {@code ksef/schema/auth-token-request.xsd} in the
 * namespace it uses (auth 2.0, or the same schema under the 2.1 namespace). A mismatch is 21401 with the validator's
 * message.
 */
public final class AuthTokenRequestSchema {

    private static final String RESOURCE = "/ksef/schema/auth-token-request.xsd";
    private static final Map<String, Schema> SCHEMAS = Map.of(
            XadesVerifier.AUTH_NAMESPACE_20, compile(XadesVerifier.AUTH_NAMESPACE_20),
            XadesVerifier.AUTH_NAMESPACE_21, compile(XadesVerifier.AUTH_NAMESPACE_21));

    private AuthTokenRequestSchema() {
    }

    /** Validates a copy of the request without its signature; the request itself is left as it is. */
    public static void validate(Element request) {
        Schema schema = SCHEMAS.get(request.getNamespaceURI());
        if (schema == null) {
            throw rejected("Nieznana przestrzeń nazw " + request.getNamespaceURI() + ".");
        }
        try {
            Validator validator = schema.newValidator();
            validator.setProperty(XMLConstants.ACCESS_EXTERNAL_DTD, "");
            validator.setProperty(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
            validator.setErrorHandler(FirstXmlError.INSTANCE);
            validator.validate(new DOMSource(withoutSignature(request)));
        } catch (SAXException e) {
            throw rejected(e.getMessage());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Document withoutSignature(Element request) {
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setNamespaceAware(true);
            Document copy = factory.newDocumentBuilder().newDocument();
            Element root = (Element) copy.importNode(request, true);
            copy.appendChild(root);
            for (Node n = root.getFirstChild(); n != null; ) {
                Node next = n.getNextSibling();
                if (XadesVerifier.XMLDSIG_NAMESPACE.equals(n.getNamespaceURI()) && "Signature".equals(n.getLocalName())) {
                    root.removeChild(n);
                }
                n = next;
            }
            return copy;
        } catch (ParserConfigurationException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The schema file holds the 2.0 namespace; the 2.1 twin is the same text under the other namespace. */
    private static Schema compile(String namespace) {
        try (InputStream in = AuthTokenRequestSchema.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is not on the class path");
            }
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8).replace(XadesVerifier.AUTH_NAMESPACE_20, namespace);
            SchemaFactory factory = SchemaFactory.newInstance(XMLConstants.W3C_XML_SCHEMA_NS_URI);
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            factory.setProperty(XMLConstants.ACCESS_EXTERNAL_DTD, "");
            factory.setProperty(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
            return factory.newSchema(new StreamSource(new StringReader(text), RESOURCE));
        } catch (IOException | SAXException e) {
            throw new IllegalStateException("cannot load " + RESOURCE, e);
        }
    }

    private static XadesVerificationException rejected(String detail) {
        return new XadesVerificationException(21401, "Dokument nie jest zgodny ze schemą (xsd).", detail);
    }
}
