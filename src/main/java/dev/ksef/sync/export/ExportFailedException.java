package dev.ksef.sync.export;

/** An export ended without a package to deliver; the continuation point stays and the next run tries again. */
public class ExportFailedException extends RuntimeException {
    public ExportFailedException(String message) {
        super(message);
    }
}
