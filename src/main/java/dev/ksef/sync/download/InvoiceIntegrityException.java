package dev.ksef.sync.download;

/** An invoice downloaded by KSeF number that does not match its {@code x-ms-meta-hash} (or came without one): not delivered. */
public final class InvoiceIntegrityException extends RuntimeException {

    public InvoiceIntegrityException(String message) {
        super(message);
    }
}
