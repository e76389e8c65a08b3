package dev.ksef.sync.download;

import dev.ksef.sync.auth.KsefSessions;
import dev.ksef.sync.crypto.KsefNumber;
import dev.ksef.sync.crypto.Sha256;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

/**
 * {@code GET /invoices/ksef/{ksefNumber}} for the routes (bean {@code ksefInvoiceDownload}): the number checked before
 * it becomes part of a URL, the XML KSeF returns verified against its {@code x-ms-meta-hash} (base64 SHA-256 of the
 * returned bytes), and any failure thrown again as one line. Used by {@code direct:ksef-invoice} (a host's call),
 * the request queue and the reconciliation.
 */
public final class InvoiceDownload {

    /** Header of {@code direct:ksef-invoice} and exchange property of every download: the KSeF number. */
    public static final String KSEF_NUMBER = "ksefNumber";
    /** What a run of the download API does ({@code invoice}, {@code metadata}, {@code reconciliation}, {@code request}); none for a sync run. */
    public static final String OPERATION = "ksefOperation";
    /** Header of the answer: the base64 SHA-256 of the verified XML. */
    public static final String INVOICE_HASH = "ksefInvoiceHash";
    static final String META_HASH = "x-ms-meta-hash";

    /**
     * {@code direct:ksef-invoice}: header {@code ksefNumber} (required) and header or property {@code ksefContextNip}
     * (a tenant; empty = ksef.nip) become the call's properties; nothing else of the caller's headers reaches KSeF.
     */
    public void request(Exchange exchange) {
        Message in = exchange.getMessage();
        exchange.setProperty(KSEF_NUMBER, checked(in.getHeader(KSEF_NUMBER, String.class)));
        String nip = in.getHeader(KsefSessions.CONTEXT_NIP, String.class);
        if (nip == null) {
            nip = exchange.getProperty(KsefSessions.CONTEXT_NIP, "", String.class);
        }
        exchange.setProperty(KsefSessions.CONTEXT_NIP, nip.strip());
        exchange.setProperty(OPERATION, "invoice");
    }

    /** A KSeF number fit for the URL path, or one line saying what is wrong with it. */
    public static String checked(String number) {
        if (number == null || number.isBlank()) {
            throw new IllegalArgumentException("no KSeF number given (header or property ksefNumber)");
        }
        String n = number.strip();
        if (!KsefNumber.isValid(n)) {
            throw new IllegalArgumentException("'" + KsefCallException.oneLine(n.length() > 60 ? n.substring(0, 60) + "…" : n)
                    + "' is not a KSeF number (NIP-YYYYMMDD-XXXXXXXXXXXX-CC with a valid checksum)");
        }
        return n;
    }

    /** The URL path below {@code /invoices/ksef} of a KSeF number (checked again: it becomes part of the URL). */
    public String path(String number) {
        return "/" + checked(number);
    }

    /** After the call: the XML's SHA-256 must equal {@code x-ms-meta-hash}; returns the verified bytes as KSeF sent them. */
    public byte[] verified(Exchange exchange) {
        byte[] xml = exchange.getMessage().getBody(byte[].class);
        String expected = exchange.getMessage().getHeader(META_HASH, String.class);
        if (xml == null || xml.length == 0) {
            throw new InvoiceIntegrityException("KSeF answered without the invoice XML");
        }
        if (expected == null || expected.isBlank()) {
            throw new InvoiceIntegrityException("KSeF sent no x-ms-meta-hash header, the XML cannot be verified");
        }
        String actual = Sha256.base64(xml);
        if (!actual.equals(expected.strip())) {
            throw new InvoiceIntegrityException("the SHA-256 of the XML KSeF sent (" + actual
                    + ") differs from its x-ms-meta-hash (" + KsefCallException.oneLine(expected) + ")");
        }
        exchange.setProperty(INVOICE_HASH, actual);
        return xml;
    }

    /** The answer of {@code direct:ksef-invoice}: body the verified XML; headers ksefNumber, ksefContextNip, ksefInvoiceHash. */
    public void answer(Exchange exchange) {
        Message out = exchange.getMessage();
        out.removeHeaders("*");
        out.setHeader(KSEF_NUMBER, exchange.getProperty(KSEF_NUMBER));
        out.setHeader(KsefSessions.CONTEXT_NIP, exchange.getProperty(KsefSessions.CONTEXT_NIP));
        out.setHeader(INVOICE_HASH, exchange.getProperty(INVOICE_HASH));
    }

    /** Any failure of {@code direct:ksef-invoice}, thrown again as one line naming the invoice and its context. */
    public void failed(Exchange exchange) {
        Exception cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        String number = exchange.getProperty(KSEF_NUMBER, String.class);
        String nip = exchange.getProperty(KsefSessions.CONTEXT_NIP, "", String.class);
        throw KsefCallException.of(number == null ? "invoice download" : "invoice " + number + (nip.isEmpty() ? "" : " of context " + nip), cause);
    }
}
