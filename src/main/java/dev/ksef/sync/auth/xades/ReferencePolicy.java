package dev.ksef.sync.auth.xades;

import static dev.ksef.sync.auth.xades.Dom.XMLDSIG;

import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import javax.xml.XMLConstants;
import javax.xml.namespace.NamespaceContext;
import javax.xml.xpath.XPathConstants;
import javax.xml.xpath.XPathExpressionException;
import javax.xml.xpath.XPathFactory;
import javax.xml.xpath.XPathFactoryConfigurationException;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * What the signature's references may point at. Each is {@code URI=""} (the document) or {@code #id} of an element of
 * the document; external and detached content is refused. Exactly one, of type SignedProperties, points at the
 * signature's {@code xades:SignedProperties}; at least one covers the root {@code AuthTokenRequest} and takes the
 * signature out only (enveloped-signature, KSeF's XPath, or an XPath Filter 2.0 that subtracts nothing but the
 * signature), so no part of the request can be left unsigned or moved out of the signed element.
 */
final class ReferencePolicy {

    static final String SIGNED_PROPERTIES_TYPE = "http://uri.etsi.org/01903#SignedProperties";

    private ReferencePolicy() {
    }

    /** Checks the references and returns every {@code Id} of the document with its element, for the validation context. */
    static Map<String, Element> check(XadesStructure structure) {
        Element root = structure.signature().getOwnerDocument().getDocumentElement();
        Map<String, Element> ids = ids(root);
        boolean coversRoot = false;
        int signedPropertiesReferences = 0;
        for (Element reference : Dom.children(structure.signedInfo(), XMLDSIG, "Reference")) {
            String uri = Dom.attribute(reference, "URI");
            Element target;
            if (uri == null) {
                throw SignatureRejections.notFound("null");
            } else if (uri.isEmpty()) {
                target = root;
            } else if (uri.startsWith("#") && !uri.startsWith("#xpointer(")) {
                target = ids.get(uri.substring(1));
                if (target == null) {
                    throw SignatureRejections.notFound(uri);
                }
            } else {
                throw SignatureRejections.profile(); // external or detached content
            }
            if (SIGNED_PROPERTIES_TYPE.equals(Dom.attribute(reference, "Type"))) {
                signedPropertiesReferences++;
                if (target != structure.signedProperties()) {
                    throw SignatureRejections.profile();
                }
            } else if (target == root) {
                requireSignatureOnlyTakenOut(reference, structure.signature());
                coversRoot = true;
            }
        }
        if (signedPropertiesReferences != 1 || !coversRoot) {
            throw SignatureRejections.profile();
        }
        return ids;
    }

    /** The first transform takes the signature out, and at most a canonicalization follows. */
    private static void requireSignatureOnlyTakenOut(Element reference, Element signature) {
        Element transforms = Dom.child(reference, XMLDSIG, "Transforms");
        List<Element> steps = transforms == null ? List.of() : Dom.children(transforms, XMLDSIG, "Transform");
        if (steps.isEmpty() || steps.size() > 2
                || steps.size() == 2 && !AlgorithmPolicy.CANONICALIZATION.contains(Dom.attribute(steps.get(1), "Algorithm"))) {
            throw SignatureRejections.profile();
        }
        String first = Dom.attribute(steps.get(0), "Algorithm");
        boolean takesOut = AlgorithmPolicy.ENVELOPED.equals(first) || AlgorithmPolicy.XPATH.equals(first)
                || AlgorithmPolicy.XPATH_FILTER2.equals(first) && filterSubtractsSignatureOnly(steps.get(0), signature);
        if (!takesOut) {
            throw SignatureRejections.profile();
        }
    }

    /** Every XPath of the filter is {@code Filter="subtract"} and selects the signature and nothing outside it. */
    private static boolean filterSubtractsSignatureOnly(Element transform, Element signature) {
        List<Element> paths = Dom.children(transform, AlgorithmPolicy.XPATH_FILTER2, "XPath");
        if (paths.isEmpty() || paths.size() != Dom.children(transform).size()) {
            return false;
        }
        for (Element path : paths) {
            if (!"subtract".equals(Dom.attribute(path, "Filter"))) {
                return false;
            }
            NodeList selected = evaluate(path, signature.getOwnerDocument());
            boolean signatureSelected = false;
            for (int i = 0; i < selected.getLength(); i++) {
                Node node = selected.item(i);
                signatureSelected |= node == signature;
                if (!within(node, signature)) {
                    return false;
                }
            }
            if (!signatureSelected) {
                return false;
            }
        }
        return true;
    }

    private static NodeList evaluate(Element path, Node document) {
        try {
            XPathFactory factory = XPathFactory.newInstance();
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            var xpath = factory.newXPath();
            xpath.setNamespaceContext(new InScope(path));
            return (NodeList) xpath.evaluate(path.getTextContent().strip(), document, XPathConstants.NODESET);
        } catch (XPathExpressionException | XPathFactoryConfigurationException e) {
            throw SignatureRejections.profile();
        }
    }

    private static boolean within(Node node, Element ancestor) {
        for (Node n = node; n != null; n = n instanceof org.w3c.dom.Attr a ? a.getOwnerElement() : n.getParentNode()) {
            if (n == ancestor) {
                return true;
            }
        }
        return false;
    }

    /** Every element's {@code Id} by value; a value used twice is a wrapping attempt and fails like KSeF's negative verification. */
    private static Map<String, Element> ids(Element root) {
        Map<String, Element> ids = new HashMap<>();
        NodeList all = root.getOwnerDocument().getElementsByTagNameNS("*", "*");
        for (int i = 0; i < all.getLength(); i++) {
            Element element = (Element) all.item(i);
            String id = Dom.attribute(element, "Id");
            if (id != null && ids.put(id, element) != null) {
                throw SignatureRejections.negative();
            }
        }
        return ids;
    }

    /** The namespace prefixes in scope at the XPath element, as XPath Filter 2.0 resolves them. */
    private record InScope(Element element) implements NamespaceContext {
        @Override
        public String getNamespaceURI(String prefix) {
            String uri = prefix.isEmpty() ? null : element.lookupNamespaceURI(prefix);
            return uri == null ? XMLConstants.NULL_NS_URI : uri;
        }

        @Override
        public String getPrefix(String namespaceURI) {
            return null;
        }

        @Override
        public Iterator<String> getPrefixes(String namespaceURI) {
            return Collections.emptyIterator();
        }
    }
}
