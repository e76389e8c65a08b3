package dev.ksef.sync.download;

import dev.ksef.sync.api.InvoiceMetadata;
import dev.ksef.sync.auth.KsefSessions;
import dev.ksef.sync.crypto.Sha256;
import dev.ksef.sync.export.ExportPlanner;
import dev.ksef.sync.export.ExportRun;
import dev.ksef.sync.jms.Destinations;
import dev.ksef.sync.jms.EndpointPublisher;
import dev.ksef.sync.pkg.InvoiceRecord;
import dev.ksef.sync.pkg.InvoiceXmlCheck;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.List;
import javax.xml.stream.XMLStreamException;
import org.apache.camel.Exchange;

/**
 * One request of the request queue as {@code direct:ksef-request} serves it (bean {@code ksefInvoiceRequest}): the
 * invoice downloaded by number and verified, its subject type (the request's {@code ksefSubjectType}, else the
 * context's role on the invoice: seller Subject1, buyer Subject2, third subject Subject3), and one record for the
 * sync's batch route, published with {@code ksefSource=request} to the subject type's destination whether it was
 * delivered before or not; its duplicate id ends in {@code :request:<request id>}, so a repeated request is delivered
 * again and a redelivered one is not. The message carries what the XML tells (no {@code ksefPermanentStorageDate}:
 * only KSeF's metadata has it).
 */
public final class InvoiceRequest {

    /** Exchange property: the id of the request (its JMS message id). */
    public static final String REQUEST_ID = "ksefRequestId";
    private static final List<String> SUBJECT_TYPES = List.of("Subject1", "Subject2", "Subject3", "SubjectAuthorized");

    private final Destinations destinations;
    private final InvoiceXmlCheck xmlCheck = new InvoiceXmlCheck();

    public InvoiceRequest(Destinations destinations) {
        this.destinations = destinations;
    }

    /** The request's properties checked: a KSeF number, a known subject type when one is given. */
    public void begin(Exchange exchange) {
        exchange.setProperty(InvoiceDownload.KSEF_NUMBER, InvoiceDownload.checked(exchange.getProperty(InvoiceDownload.KSEF_NUMBER, String.class)));
        String subjectType = exchange.getProperty(ExportPlanner.SUBJECT_TYPE, "", String.class).strip();
        if (!subjectType.isEmpty() && !SUBJECT_TYPES.contains(subjectType)) {
            throw new IllegalArgumentException("ksefSubjectType must be one of " + String.join(", ", SUBJECT_TYPES) + ", not '"
                    + KsefCallException.oneLine(subjectType) + "'");
        }
        exchange.setProperty(ExportPlanner.SUBJECT_TYPE, subjectType);
    }

    /** The verified XML as the one record of a batch, the run it goes out under, and its destination. */
    public List<InvoiceRecord> record(Exchange exchange, byte[] xml) throws XMLStreamException {
        String number = exchange.getProperty(InvoiceDownload.KSEF_NUMBER, String.class);
        String nip = exchange.getProperty(KsefSessions.CONTEXT_NIP, String.class);
        String problem = xmlCheck.problem(xml);
        if (problem != null) {
            throw new InvoiceIntegrityException("the XML KSeF sent is " + problem);
        }
        InvoiceXmlFields fields = InvoiceXmlFields.read(xml);
        String subjectType = exchange.getProperty(ExportPlanner.SUBJECT_TYPE, "", String.class);
        if (subjectType.isEmpty()) {
            subjectType = nip.equals(fields.sellerNip()) ? "Subject1" : nip.equals(fields.buyerNip()) ? "Subject2"
                    : fields.thirdSubjectNips().contains(nip) ? "Subject3" : null;
            if (subjectType == null) {
                throw new IllegalArgumentException("context " + nip + " is neither the seller, the buyer nor a third subject of the invoice: "
                        + "give the request a ksefSubjectType");
            }
            exchange.setProperty(ExportPlanner.SUBJECT_TYPE, subjectType);
        }
        String uri = destinations.uri(subjectType, "", nip);
        String queue = Destinations.jmsQueue(uri);
        exchange.setProperty(EndpointPublisher.DESTINATION_URI, uri);
        exchange.setProperty(ExportPlanner.QUEUE, queue);
        ExportRun run = new ExportRun(nip, subjectType, queue, null, null, null);
        run.source = "request";
        run.messageIdSuffix = ":request:" + exchange.getProperty(REQUEST_ID, exchange.getExchangeId(), String.class);
        exchange.setProperty(ExportPlanner.EXPORT, run);
        InvoiceMetadata metadata = new InvoiceMetadata(number, fields.invoiceNumber(), date(fields.issueDate()), null, null, null,
                fields.sellerNip() == null ? null : new InvoiceMetadata.Seller(fields.sellerNip(), null), null, 0, 0, 0, fields.currency(),
                null, null, fields.formSystemCode() == null ? null
                : new InvoiceMetadata.FormCode(fields.formSystemCode(), fields.formSchemaVersion(), fields.formValue()),
                false, false, Sha256.base64(xml), null, null, null);
        return List.of(new InvoiceRecord(number, metadata, xml, null));
    }

    /** Any failure, thrown again as one line naming the invoice and its context (the request goes to the failed queue with it). */
    public void failed(Exchange exchange) {
        String number = exchange.getProperty(InvoiceDownload.KSEF_NUMBER, String.class);
        String nip = exchange.getProperty(KsefSessions.CONTEXT_NIP, "", String.class);
        throw KsefCallException.of(number == null || !dev.ksef.sync.crypto.KsefNumber.isValid(number) ? "request"
                : "request of invoice " + number + (nip.isEmpty() ? "" : " of context " + nip),
                exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class));
    }

    private static LocalDate date(String text) {
        try {
            return text == null ? null : LocalDate.parse(text);
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
