package dev.ksef.sync.pkg;

/** The decrypted package is not the archive KSeF describes (not a ZIP, no {@code _metadata.json}, unreadable). */
public class PackageFormatException extends RuntimeException {
    public PackageFormatException(String message) {
        super(message);
    }
}
