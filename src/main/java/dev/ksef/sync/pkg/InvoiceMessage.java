package dev.ksef.sync.pkg;

import dev.ksef.sync.export.ExportPlanner;
import dev.ksef.sync.export.ExportRun;
import java.nio.charset.StandardCharsets;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

/**
 * Turns an {@link InvoiceRecord} into the JMS message downstream systems read: the invoice XML as text, exactly as
 * in the package, with the message contract's properties and Artemis' duplicate-detection id. Every inherited header
 * is dropped first so nothing else leaks onto the broker.
 */
public final class InvoiceMessage {

    public static final String DUPLICATE_ID = "_AMQ_DUPL_ID";
    public static final String QUARANTINED = "ksefQuarantined";
    private static final org.slf4j.Logger QUARANTINE_LOG = org.slf4j.LoggerFactory.getLogger("dev.ksef.sync.quarantine");

    /**
     * The message of one invoice record: a delivery to the subject type's queue, or a quarantine message (property
     * {@code ksefQuarantined} tells the route which), counted on the export and, for quarantine, logged with the reason.
     */
    public void message(Exchange exchange) {
        Message message = exchange.getMessage();
        InvoiceRecord record = message.getBody(InvoiceRecord.class);
        ExportRun run = exchange.getProperty(ExportPlanner.EXPORT, ExportRun.class);
        boolean quarantined = !record.valid();
        exchange.setProperty(QUARANTINED, quarantined);
        message.removeHeaders("*");
        message.setHeader("ksefNumber", record.ksefNumber());
        message.setHeader("ksefSubjectType", run.subjectType);
        message.setHeader("ksefExportReference", run.referenceNumber);
        if (quarantined) {
            QUARANTINE_LOG.warn("{}: invoice {} of export {} quarantined: {}", run.subjectType, record.ksefNumber(), run.referenceNumber,
                    record.problem());
            quarantine(message, record, run);
            run.quarantined++;
        } else {
            invoice(message, record, run);
            run.published++;
        }
    }

    private static void invoice(Message message, InvoiceRecord record, ExportRun run) {
        var m = record.metadata();
        message.setHeader("ksefInvoiceNumber", m.invoiceNumber());
        message.setHeader("ksefSellerNip", m.seller() == null ? null : m.seller().nip());
        message.setHeader("ksefIssueDate", String.valueOf(m.issueDate()));
        message.setHeader("ksefPermanentStorageDate", String.valueOf(m.permanentStorageDate()));
        message.setHeader("ksefInvoiceHash", m.invoiceHash());
        message.setHeader("ksefFormCode", m.formCode() == null ? null : m.formCode().systemCode());
        message.setHeader(DUPLICATE_ID, run.subjectType + ":" + record.ksefNumber());
        message.setBody(new String(record.xml(), StandardCharsets.UTF_8));
    }

    /** The quarantine message: whatever bytes there are (possibly none), and why the invoice was not delivered. */
    private static void quarantine(Message message, InvoiceRecord record, ExportRun run) {
        message.setHeader("ksefQuarantineReason", record.problem());
        if (record.metadata() != null) {
            message.setHeader("ksefInvoiceHash", record.metadata().invoiceHash());
        }
        message.setHeader(DUPLICATE_ID, "quarantine:" + run.subjectType + ":" + record.ksefNumber() + ":" + run.referenceNumber);
        message.setBody(record.xml() == null ? "" : new String(record.xml(), StandardCharsets.UTF_8));
    }
}
