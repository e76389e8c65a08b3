package dev.ksef.sync.jms;

import dev.ksef.sync.export.ExportRun;
import dev.ksef.sync.pkg.InvoiceRecord;
import jakarta.jms.BytesMessage;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The message contract in one place: what downstream systems read for an {@link InvoiceRecord}, as JMS properties or
 * as the headers of an exchange to any other endpoint (same names, same string values). A delivered invoice is its XML
 * exactly as in the package, with the invoice's metadata; a quarantined record is exactly the bytes the package held
 * for it (none when it held none: bytes that are not UTF-8 are not turned into text and lost) and why it was not
 * delivered. Both carry a stable duplicate id, {@code ksefMessageId}, the same for every resend of the same message;
 * on JMS also as Artemis' duplicate-detection id, so a resend after a crash is dropped by the broker.
 */
public final class InvoiceMessage {

    public static final String DUPLICATE_ID = "_AMQ_DUPL_ID";
    /**
     * The duplicate id every message carries: {@code <contextNip>:<subjectType>:<ksefNumber>} (the delivered key), for
     * quarantine {@code quarantine:<contextNip>:<subjectType>:<ksefNumber>:<export>} ({@code reconciliation} or
     * {@code request} in place of the export); an invoice sent again on request has {@code :request:<request id>} added.
     */
    public static final String MESSAGE_ID = "ksefMessageId";
    private static final org.slf4j.Logger QUARANTINE_LOG = org.slf4j.LoggerFactory.getLogger("dev.ksef.sync.quarantine");

    private InvoiceMessage() {
    }

    /** The contract's properties of a delivered invoice, {@code ksefMessageId} included. */
    public static Map<String, String> invoiceProperties(InvoiceRecord record, ExportRun run) {
        Map<String, String> p = common(record, run);
        var m = record.metadata();
        putIfPresent(p, "ksefInvoiceNumber", m.invoiceNumber());
        putIfPresent(p, "ksefSellerNip", m.seller() == null ? null : m.seller().nip());
        putIfPresent(p, "ksefIssueDate", m.issueDate() == null ? null : m.issueDate().toString());
        putIfPresent(p, "ksefPermanentStorageDate", m.permanentStorageDate() == null ? null : m.permanentStorageDate().toString());
        p.put("ksefInvoiceHash", m.invoiceHash());
        putIfPresent(p, "ksefFormCode", m.formCode() == null ? null : m.formCode().systemCode());
        p.put(MESSAGE_ID, deliveredKey(run.nip, run.subjectType, record.ksefNumber()) + run.messageIdSuffix);
        return p;
    }

    /** The contract's properties of a quarantined record, {@code ksefMessageId} included. */
    public static Map<String, String> quarantineProperties(InvoiceRecord record, ExportRun run) {
        Map<String, String> p = common(record, run);
        p.put("ksefQuarantineReason", record.problem());
        if (record.metadata() != null) {
            putIfPresent(p, "ksefInvoiceHash", record.metadata().invoiceHash());
        }
        p.put(MESSAGE_ID, "quarantine:" + deliveredKey(run.nip, run.subjectType, record.ksefNumber()) + ":"
                + (run.referenceNumber != null ? run.referenceNumber : run.source) + run.messageIdSuffix);
        return p;
    }

    /** The bytes the package held for a quarantined record (none when it held none or they were not read). */
    public static byte[] quarantineBody(InvoiceRecord record) {
        return record.xml() == null ? new byte[0] : record.xml();
    }

    /** One WARN line per quarantined record (never its body). */
    public static void logQuarantine(InvoiceRecord record, ExportRun run) {
        QUARANTINE_LOG.warn("{} {}: invoice {} of export {} quarantined: {}", run.nip, run.subjectType, record.ksefNumber(), run.referenceNumber,
                record.problem());
    }

    public static TextMessage invoice(Session session, InvoiceRecord record, ExportRun run) throws JMSException {
        TextMessage message = session.createTextMessage(new String(record.xml(), StandardCharsets.UTF_8));
        properties(message, invoiceProperties(record, run));
        return message;
    }

    public static BytesMessage quarantine(Session session, InvoiceRecord record, ExportRun run) throws JMSException {
        BytesMessage message = session.createBytesMessage();
        // written even when empty: an Artemis bytes message never written to reads back as 4 bytes, not as none
        message.writeBytes(quarantineBody(record));
        properties(message, quarantineProperties(record, run));
        return message;
    }

    private static void properties(Message message, Map<String, String> properties) throws JMSException {
        for (Map.Entry<String, String> e : properties.entrySet()) {
            message.setStringProperty(e.getKey(), e.getValue());
        }
        message.setStringProperty(DUPLICATE_ID, properties.get(MESSAGE_ID));
    }

    /** The key of an invoice delivered to a context's subject type: {@code <contextNip>:<subjectType>:<ksefNumber>}. */
    public static String deliveredKey(String nip, String subjectType, String ksefNumber) {
        return nip + ":" + subjectType + ":" + ksefNumber;
    }

    private static Map<String, String> common(InvoiceRecord record, ExportRun run) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("ksefNumber", record.ksefNumber());
        p.put("ksefContextNip", run.nip);
        p.put("ksefSubjectType", run.subjectType);
        p.put("ksefSource", run.source);
        putIfPresent(p, "ksefExportReference", run.referenceNumber); // none for a reconciliation or a request
        return p;
    }

    private static void putIfPresent(Map<String, String> properties, String name, String value) {
        if (value != null) {
            properties.put(name, value);
        }
    }
}
