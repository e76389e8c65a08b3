package dev.ksef.sync.pkg;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import javax.xml.XMLConstants;
import javax.xml.parsers.ParserConfigurationException;
import javax.xml.parsers.SAXParserFactory;
import org.xml.sax.InputSource;
import org.xml.sax.SAXException;
import org.xml.sax.SAXParseException;
import org.xml.sax.XMLReader;
import org.xml.sax.helpers.DefaultHandler;

/**
 * Is an invoice well-formed XML? Parsed with SAX, nothing kept, and nothing fetched: DOCTYPE declarations are refused,
 * so no external entity or DTD is ever resolved (XXE) and no entity expansion can blow up. Not schema validation (the
 * FA(3) schema is too large for the JDK's validator limits). One instance per thread.
 */
public final class InvoiceXmlCheck {

    private final XMLReader reader;

    public InvoiceXmlCheck() {
        try {
            SAXParserFactory factory = SAXParserFactory.newInstance();
            factory.setNamespaceAware(true);
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            factory.setFeature("http://xml.org/sax/features/external-general-entities", false);
            factory.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
            factory.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
            factory.setXIncludeAware(false);
            reader = factory.newSAXParser().getXMLReader();
            reader.setContentHandler(new DefaultHandler());
            reader.setErrorHandler(new DefaultHandler() {
                @Override
                public void error(SAXParseException e) throws SAXException {
                    throw e;
                }
            });
        } catch (ParserConfigurationException | SAXException e) {
            throw new IllegalStateException("no secure XML parser available", e);
        }
    }

    /** {@code null} when well-formed, else what is wrong (line and column, no content). */
    public String problem(byte[] xml) {
        try {
            reader.parse(new InputSource(new ByteArrayInputStream(xml)));
            return null;
        } catch (SAXParseException e) {
            return "not well-formed XML (line " + e.getLineNumber() + ", column " + e.getColumnNumber() + "): " + e.getMessage();
        } catch (SAXException | IOException e) {
            return "not well-formed XML: " + e.getMessage();
        }
    }
}
