package dev.ksef.sync.simulator;

import dev.ksef.sync.api.InvoiceMetadata;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringWriter;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.transform.OutputKeys;
import javax.xml.transform.TransformerFactory;
import javax.xml.transform.dom.DOMSource;
import javax.xml.transform.stream.StreamResult;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * One official FA(3) sample turned into a fill-in pattern: the NIPs of the parties, the invoice number and the dates
 * become slots, the rest of the document stays as the sample has it. Rendering is plain text substitution of
 * XML-safe values into a DOM-serialised document, so every rendered invoice stays well-formed FA(3).
 */
final class InvoiceTemplate {

    /** The slots, in the order {@link #render(String...)} takes their values. */
    enum Slot { SELLER, BUYER, THIRD, AUTHORIZED, NUMBER, ISSUE_DATE, CREATED }

    private static final String NS = "http://crd.gov.pl/wzor/2025/06/25/13775/";
    static final String AUTHORIZED_NAME = "Kancelaria Podatkowa Sp. z o.o.";
    static final int AUTHORIZED_ROLE = 3;

    final String name;
    final boolean hasThirdSubjectNip;
    final boolean withAuthorizedSubject;
    final boolean selfInvoicing;
    final boolean hasAttachment;
    final String sellerName;
    final String buyerName;
    final List<InvoiceMetadata.ThirdSubject> fixedThirdSubjects = new ArrayList<>();
    String thirdSubjectName;
    int thirdSubjectRole;
    final double net;
    final double vat;
    final double gross;
    final String currency;
    private final List<String> fragments = new ArrayList<>();
    private final List<Slot> slots = new ArrayList<>();

    private InvoiceTemplate(String name, Document doc, boolean withAuthorizedSubject) throws Exception {
        this.name = name;
        this.withAuthorizedSubject = withAuthorizedSubject;
        this.selfInvoicing = name.contains("self_invoicing");
        this.hasAttachment = doc.getElementsByTagNameNS(NS, "Zalacznik").getLength() > 0;
        Element seller = first(doc.getDocumentElement(), "Podmiot1");
        Element buyer = first(doc.getDocumentElement(), "Podmiot2");
        setText(first(seller, "NIP"), token(Slot.SELLER));
        setText(first(buyer, "NIP"), token(Slot.BUYER));
        sellerName = text(first(seller, "Nazwa"));
        buyerName = text(first(buyer, "Nazwa"));
        NodeList thirds = doc.getElementsByTagNameNS(NS, "Podmiot3");
        boolean slotted = false;
        for (int i = 0; i < thirds.getLength(); i++) {
            Element third = (Element) thirds.item(i);
            Element nip = first(third, "NIP");
            int role = third.getElementsByTagNameNS(NS, "Rola").getLength() > 0 ? Integer.parseInt(text(first(third, "Rola"))) : 0;
            String thirdName = text(first(third, "Nazwa"));
            if (nip != null && !slotted) {
                setText(nip, token(Slot.THIRD));
                thirdSubjectName = thirdName;
                thirdSubjectRole = role;
                slotted = true;
            } else {
                String value = nip != null ? text(nip) : null;
                fixedThirdSubjects.add(new InvoiceMetadata.ThirdSubject(
                        new InvoiceMetadata.Identifier(value != null ? "Nip" : "None", value), thirdName, role));
            }
        }
        hasThirdSubjectNip = slotted;
        Element fa = first(doc.getDocumentElement(), "Fa");
        if (withAuthorizedSubject) {
            fa.getParentNode().insertBefore(authorizedSubject(doc), fa);
        }
        setText(first(fa, "P_2"), token(Slot.NUMBER));
        setText(first(fa, "P_1"), token(Slot.ISSUE_DATE));
        setText(first(doc.getDocumentElement(), "DataWytworzeniaFa"), token(Slot.CREATED));
        currency = text(first(fa, "KodWaluty"));
        net = sum(fa, "P_13_");
        vat = sum(fa, "P_14_");
        gross = Double.parseDouble(text(first(fa, "P_15")));
        replacePlaceholders(doc.getDocumentElement());
        split(serialise(doc));
    }

    static InvoiceTemplate load(String resource, boolean withAuthorizedSubject) {
        try (InputStream in = InvoiceTemplate.class.getResourceAsStream("/ksef/samples/" + resource)) {
            if (in == null) {
                throw new IllegalStateException("missing sample " + resource);
            }
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setNamespaceAware(true);
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            Document doc = factory.newDocumentBuilder().parse(new ByteArrayInputStream(in.readAllBytes()));
            return new InvoiceTemplate(resource, doc, withAuthorizedSubject);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read sample " + resource, e);
        } catch (Exception e) {
            throw new IllegalStateException("cannot prepare sample " + resource + ": " + e.getMessage(), e);
        }
    }

    /** The invoice bytes (UTF-8) with the slot values in {@link Slot} order. */
    byte[] render(String... values) {
        StringBuilder out = new StringBuilder(fragments.stream().mapToInt(String::length).sum() + 200);
        for (int i = 0; i < slots.size(); i++) {
            out.append(fragments.get(i)).append(values[slots.get(i).ordinal()]);
        }
        out.append(fragments.get(fragments.size() - 1));
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static Element authorizedSubject(Document doc) {
        Element pu = doc.createElementNS(NS, "PodmiotUpowazniony");
        Element ids = child(doc, pu, "DaneIdentyfikacyjne", null);
        child(doc, ids, "NIP", token(Slot.AUTHORIZED));
        child(doc, ids, "Nazwa", AUTHORIZED_NAME);
        Element address = child(doc, pu, "Adres", null);
        child(doc, address, "KodKraju", "PL");
        child(doc, address, "AdresL1", "ul. Prosta 5, 00-850 Warszawa");
        child(doc, pu, "RolaPU", Integer.toString(AUTHORIZED_ROLE));
        return pu;
    }

    private static Element child(Document doc, Element parent, String name, String text) {
        Element e = doc.createElementNS(NS, name);
        if (text != null) {
            e.setTextContent(text);
        }
        parent.appendChild(e);
        return e;
    }

    private static String token(Slot slot) {
        return "@@" + slot.name() + "@@";
    }

    private void split(String serialised) {
        int at = 0;
        while (true) {
            int start = serialised.indexOf("@@", at);
            if (start < 0) {
                break;
            }
            int end = serialised.indexOf("@@", start + 2);
            fragments.add(serialised.substring(at, start));
            slots.add(Slot.valueOf(serialised.substring(start + 2, end)));
            at = end + 2;
        }
        fragments.add(serialised.substring(at));
    }

    /** The SDK samples carry {@code #name#} placeholders outside the slots above; give them fixed, valid values. */
    private static void replacePlaceholders(Node node) {
        if (node.getNodeType() == Node.TEXT_NODE && node.getNodeValue().contains("#")) {
            node.setNodeValue(node.getNodeValue()
                    .replace("#invoicing_date#", token(Slot.ISSUE_DATE))
                    .replace("#invoice_number#", token(Slot.NUMBER))
                    .replace("#nip#", token(Slot.SELLER))
                    .replace("#idWewnetrzne#", "7010098375-00001")
                    .replace("#nipOdbiorca#", "7010098375")
                    .replace("#selfInvocingNip#", "7010098375"));
        }
        for (Node c = node.getFirstChild(); c != null; c = c.getNextSibling()) {
            replacePlaceholders(c);
        }
    }

    private static double sum(Element fa, String prefix) {
        BigDecimal total = BigDecimal.ZERO;
        for (Node c = fa.getFirstChild(); c != null; c = c.getNextSibling()) {
            if (c instanceof Element e && e.getLocalName().startsWith(prefix) && e.getLocalName().substring(prefix.length()).matches("\\d+")) {
                total = total.add(new BigDecimal(e.getTextContent().trim()));
            }
        }
        return total.doubleValue();
    }

    private static Element first(Element scope, String localName) {
        NodeList list = scope.getElementsByTagNameNS(NS, localName);
        return list.getLength() == 0 ? null : (Element) list.item(0);
    }

    private static String text(Element e) {
        return e == null ? null : e.getTextContent().trim();
    }

    private static void setText(Element e, String text) {
        if (e != null) {
            e.setTextContent(text);
        }
    }

    private static String serialise(Document doc) throws Exception {
        var transformer = TransformerFactory.newInstance().newTransformer();
        transformer.setOutputProperty(OutputKeys.ENCODING, "UTF-8");
        transformer.setOutputProperty(OutputKeys.STANDALONE, "yes");
        StringWriter out = new StringWriter();
        transformer.transform(new DOMSource(doc), new StreamResult(out));
        return out.toString();
    }
}
