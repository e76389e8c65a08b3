package dev.ksef.sync.crypto;

/** A cryptographic operation failed; the message never carries key or plaintext material. */
public class KsefCryptoException extends RuntimeException {
    public KsefCryptoException(String message) {
        super(message);
    }

    public KsefCryptoException(String message, Throwable cause) {
        super(message, cause);
    }
}
