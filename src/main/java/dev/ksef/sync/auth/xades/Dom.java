package dev.ksef.sync.auth.xades;

import java.util.ArrayList;
import java.util.List;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/** The few DOM walks the XAdES checks need: child elements, by name or all of them. */
final class Dom {

    static final String XMLDSIG = "http://www.w3.org/2000/09/xmldsig#";
    static final String XADES = "http://uri.etsi.org/01903/v1.3.2#";

    private Dom() {
    }

    static List<Element> children(Element parent) {
        List<Element> out = new ArrayList<>();
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e) {
                out.add(e);
            }
        }
        return out;
    }

    static List<Element> children(Element parent, String namespace, String localName) {
        return children(parent).stream().filter(e -> is(e, namespace, localName)).toList();
    }

    /** The only child of that name, or {@code null} when there is none or more than one. */
    static Element child(Element parent, String namespace, String localName) {
        List<Element> found = children(parent, namespace, localName);
        return found.size() == 1 ? found.get(0) : null;
    }

    static boolean is(Node node, String namespace, String localName) {
        return node instanceof Element && namespace.equals(node.getNamespaceURI()) && localName.equals(node.getLocalName());
    }

    /** An attribute without namespace, or {@code null} when absent (the DOM answers "" for both). */
    static String attribute(Element element, String name) {
        return element.hasAttributeNS(null, name) ? element.getAttributeNS(null, name) : null;
    }
}
