package dev.ksef.sync.pkg;

import dev.ksef.sync.api.InvoiceMetadata;

/**
 * One invoice read from a package: its metadata, its XML exactly as in the archive, and, when it cannot be delivered
 * as it is, why ({@code problem}; it then goes to the quarantine queue). {@code metadata} is null for a file that
 * {@code _metadata.json} does not list; {@code xml} is null for a listed invoice the archive lacks.
 */
public record InvoiceRecord(String ksefNumber, InvoiceMetadata metadata, byte[] xml, String problem) {

    public boolean valid() {
        return problem == null;
    }

    @Override
    public String toString() {
        return "InvoiceRecord[" + ksefNumber + (problem == null ? "" : ", " + problem) + "]";
    }
}
