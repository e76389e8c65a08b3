package dev.ksef.sync.pkg;

/** A downloaded part is not what KSeF's status said it would be (size, hash, or not decryptable). */
public class PartIntegrityException extends RuntimeException {
    public PartIntegrityException(String message) {
        super(message);
    }

    public PartIntegrityException(String message, Throwable cause) {
        super(message, cause);
    }
}
