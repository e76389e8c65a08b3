package dev.ksef.sync.jms;

import dev.ksef.sync.export.ExportRun;
import dev.ksef.sync.pkg.InvoiceRecord;
import jakarta.jms.BytesMessage;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import java.nio.charset.StandardCharsets;

/**
 * The message contract in one place: the JMS message downstream systems read for an {@link InvoiceRecord}. A
 * delivered invoice is its XML as text, exactly as in the package, with the invoice's metadata as string properties;
 * a quarantined record is a bytes message with exactly the bytes the package held for it (none when it held none:
 * bytes that are not UTF-8 are not turned into text and lost) and why it was not delivered. Both carry
 * Artemis' duplicate-detection id, so a resend after a crash is dropped by the broker.
 */
public final class InvoiceMessage {

    public static final String DUPLICATE_ID = "_AMQ_DUPL_ID";

    private InvoiceMessage() {
    }

    public static TextMessage invoice(Session session, InvoiceRecord record, ExportRun run) throws JMSException {
        TextMessage message = session.createTextMessage(new String(record.xml(), StandardCharsets.UTF_8));
        common(message, record, run);
        var m = record.metadata();
        setIfPresent(message, "ksefInvoiceNumber", m.invoiceNumber());
        setIfPresent(message, "ksefSellerNip", m.seller() == null ? null : m.seller().nip());
        message.setStringProperty("ksefIssueDate", String.valueOf(m.issueDate()));
        message.setStringProperty("ksefPermanentStorageDate", String.valueOf(m.permanentStorageDate()));
        message.setStringProperty("ksefInvoiceHash", m.invoiceHash());
        setIfPresent(message, "ksefFormCode", m.formCode() == null ? null : m.formCode().systemCode());
        message.setStringProperty(DUPLICATE_ID, run.subjectType + ":" + record.ksefNumber());
        return message;
    }

    public static BytesMessage quarantine(Session session, InvoiceRecord record, ExportRun run) throws JMSException {
        BytesMessage message = session.createBytesMessage();
        // written even when empty: an Artemis bytes message never written to reads back as 4 bytes, not as none
        message.writeBytes(record.xml() == null ? new byte[0] : record.xml());
        common(message, record, run);
        message.setStringProperty("ksefQuarantineReason", record.problem());
        if (record.metadata() != null) {
            message.setStringProperty("ksefInvoiceHash", record.metadata().invoiceHash());
        }
        message.setStringProperty(DUPLICATE_ID, "quarantine:" + run.subjectType + ":" + record.ksefNumber() + ":" + run.referenceNumber);
        return message;
    }

    private static void common(Message message, InvoiceRecord record, ExportRun run) throws JMSException {
        message.setStringProperty("ksefNumber", record.ksefNumber());
        message.setStringProperty("ksefSubjectType", run.subjectType);
        message.setStringProperty("ksefExportReference", run.referenceNumber);
    }

    private static void setIfPresent(Message message, String name, String value) throws JMSException {
        if (value != null) {
            message.setStringProperty(name, value);
        }
    }
}
