package dev.ksef.sync.api;

import java.util.List;

/** The {@code _metadata.json} file of an export package: the invoices of this package. */
public record InvoicePackageMetadata(List<InvoiceMetadata> invoices) {
    public static final String FILE_NAME = "_metadata.json";
}
