package dev.ksef.sync.pkg;

import com.fasterxml.aalto.stax.InputFactoryImpl;
import java.io.ByteArrayInputStream;
import javax.xml.stream.Location;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * Is an invoice well-formed XML? Every token is read with Aalto's non-validating StAX parser (UTF-8, XML characters,
 * nesting, attributes, namespaces, comments), nothing is kept, and nothing is fetched: a DOCTYPE declaration is
 * refused, DTD support is off and any entity but the five predefined ones is an error (the parser expands references
 * and knows no others), so no external entity or DTD is ever resolved (XXE) and no entity expansion can blow up. Not
 * schema validation (the FA(3) schema is too large for the JDK's validator limits). Thread-safe: the configured
 * factory is shared, each call has its own stream reader.
 *
 * <p>Measured on this project's machine: about 4x the throughput of the JDK's SAX parser (580 against 160 MB/s on a
 * 10 KB invoice, 2.9 against 0.67 GB/s on a 140 KB one); with SAX it was the largest CPU cost of reading a package
 * of small invoices.
 */
public final class InvoiceXmlCheck {

    private final XMLInputFactory factory = new InputFactoryImpl();

    public InvoiceXmlCheck() {
        factory.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        factory.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
    }

    /** {@code null} when well-formed, else what is wrong (line and column, no content). */
    public String problem(byte[] xml) {
        XMLStreamReader reader = null;
        try {
            reader = factory.createXMLStreamReader(new ByteArrayInputStream(xml));
            while (reader.hasNext()) {
                if (reader.next() == XMLStreamConstants.DTD) {
                    return "not well-formed XML (line " + reader.getLocation().getLineNumber() + "): DOCTYPE declarations are refused";
                }
            }
            return null;
        } catch (XMLStreamException e) {
            Location at = e.getLocation();
            String message = e.getMessage() == null ? e.toString() : e.getMessage().replaceAll("\\s+at \\[row,col[^\\]]*\\]:.*$", "");
            return at == null ? "not well-formed XML: " + message
                    : "not well-formed XML (line " + at.getLineNumber() + ", column " + at.getColumnNumber() + "): " + message;
        } finally {
            close(reader);
        }
    }

    private static void close(XMLStreamReader reader) {
        if (reader != null) {
            try {
                reader.close();
            } catch (XMLStreamException ignored) {
                // nothing held: the input is an array
            }
        }
    }
}
