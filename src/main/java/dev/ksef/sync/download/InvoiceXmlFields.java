package dev.ksef.sync.download;

import com.fasterxml.aalto.stax.InputFactoryImpl;
import java.io.ByteArrayInputStream;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * What an invoice's XML (FA(2), FA(3)) says of itself, for an invoice that comes without KSeF's metadata (one asked
 * for on the request queue): form code, seller, buyer and third subjects' NIPs, issue date ({@code P_1}), invoice
 * number ({@code P_2}) and currency. Read with the same closed StAX parser as the package check (no DTD, no external
 * entities); elements are matched by local name, whatever the schema's namespace.
 */
public record InvoiceXmlFields(String formSystemCode, String formSchemaVersion, String formValue, String sellerNip, String buyerNip,
                               List<String> thirdSubjectNips, String issueDate, String invoiceNumber, String currency) {

    private static final XMLInputFactory FACTORY = factory();

    public static InvoiceXmlFields read(byte[] xml) throws XMLStreamException {
        String systemCode = null;
        String schemaVersion = null;
        String formValue = null;
        String seller = null;
        String buyer = null;
        List<String> third = new ArrayList<>();
        String issueDate = null;
        String number = null;
        String currency = null;
        Deque<String> path = new ArrayDeque<>();
        XMLStreamReader reader = FACTORY.createXMLStreamReader(new ByteArrayInputStream(xml));
        try {
            StringBuilder text = new StringBuilder();
            while (reader.hasNext()) {
                int event = reader.next();
                if (event == XMLStreamConstants.START_ELEMENT) {
                    path.addLast(reader.getLocalName());
                    text.setLength(0);
                    if (at(path, "Faktura/Naglowek/KodFormularza")) {
                        systemCode = reader.getAttributeValue(null, "kodSystemowy");
                        schemaVersion = reader.getAttributeValue(null, "wersjaSchemy");
                    }
                } else if (event == XMLStreamConstants.CHARACTERS || event == XMLStreamConstants.CDATA) {
                    text.append(reader.getText());
                } else if (event == XMLStreamConstants.END_ELEMENT) {
                    String value = text.toString().strip();
                    if (at(path, "Faktura/Naglowek/KodFormularza")) {
                        formValue = value;
                    } else if (at(path, "Faktura/Podmiot1/DaneIdentyfikacyjne/NIP")) {
                        seller = value;
                    } else if (at(path, "Faktura/Podmiot2/DaneIdentyfikacyjne/NIP")) {
                        buyer = value;
                    } else if (at(path, "Faktura/Podmiot3/DaneIdentyfikacyjne/NIP")) {
                        third.add(value);
                    } else if (at(path, "Faktura/Fa/P_1")) {
                        issueDate = value;
                    } else if (at(path, "Faktura/Fa/P_2")) {
                        number = value;
                    } else if (at(path, "Faktura/Fa/KodWaluty")) {
                        currency = value;
                    }
                    path.removeLast();
                    text.setLength(0);
                }
            }
        } finally {
            reader.close();
        }
        return new InvoiceXmlFields(systemCode, schemaVersion, formValue, seller, buyer, List.copyOf(third), issueDate, number, currency);
    }

    private static boolean at(Deque<String> path, String wanted) {
        return String.join("/", path).equals(wanted);
    }

    private static XMLInputFactory factory() {
        XMLInputFactory factory = new InputFactoryImpl();
        factory.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        factory.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        return factory;
    }
}
