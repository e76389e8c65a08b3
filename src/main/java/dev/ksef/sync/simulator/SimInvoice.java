package dev.ksef.sync.simulator;

import dev.ksef.sync.api.InvoiceMetadata;
import java.time.OffsetDateTime;
import java.util.Set;

/**
 * One invoice stored in the simulated KSeF: its metadata, the subject types under which the simulated company sees it,
 * and what it takes to render its XML again (the bytes are not kept, so large corpora stay small in memory).
 */
public record SimInvoice(InvoiceMetadata metadata, Set<String> subjectTypes, InvoiceTemplate template, String[] slotValues, int padding) {

    public String ksefNumber() {
        return metadata.ksefNumber();
    }

    /** The same invoice as another party sees it (a shared invoice is Subject1 to its seller, Subject2 to its buyer). */
    SimInvoice seenAs(Set<String> types) {
        return new SimInvoice(metadata, types, template, slotValues, padding);
    }

    public OffsetDateTime permanentStorageDate() {
        return metadata.permanentStorageDate();
    }

    /** The invoice document exactly as it is stored: its SHA-256 is the metadata's {@code invoiceHash}. */
    public byte[] xml() {
        return pad(template.render(slotValues), metadata.ksefNumber(), padding);
    }

    /**
     * {@code padding} bytes of base64 text from a generator seeded by the KSeF number, in an XML comment after the root
     * element: large, barely compressible invoices (as with attachments) for size and memory benchmarks.
     */
    static byte[] pad(byte[] xml, String ksefNumber, int padding) {
        if (padding <= 0) {
            return xml;
        }
        byte[] random = new byte[padding * 3 / 4];
        new java.util.SplittableRandom(ksefNumber.hashCode()).nextBytes(random);
        byte[] text = java.util.Base64.getEncoder().encode(random);
        byte[] open = "\n<!-- ".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        byte[] close = " -->\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        byte[] out = java.util.Arrays.copyOf(xml, xml.length + open.length + text.length + close.length);
        System.arraycopy(open, 0, out, xml.length, open.length);
        System.arraycopy(text, 0, out, xml.length + open.length, text.length);
        System.arraycopy(close, 0, out, xml.length + open.length + text.length, close.length);
        return out;
    }
}
