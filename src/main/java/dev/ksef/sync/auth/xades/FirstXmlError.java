package dev.ksef.sync.auth.xades;

import org.xml.sax.ErrorHandler;
import org.xml.sax.SAXException;
import org.xml.sax.SAXParseException;

/**
 * The error handler of the XML parsers and validators of the certificate login: the first error or fatal error ends
 * the parse or validation (thrown, so its message becomes KSeF's detail), warnings are ignored, nothing is printed to
 * the console (the JDK's default handler writes to standard error).
 */
public final class FirstXmlError implements ErrorHandler {

    public static final FirstXmlError INSTANCE = new FirstXmlError();

    private FirstXmlError() {
    }

    @Override
    public void warning(SAXParseException e) {
    }

    @Override
    public void error(SAXParseException e) throws SAXException {
        throw e;
    }

    @Override
    public void fatalError(SAXParseException e) throws SAXException {
        throw e;
    }
}
