package dev.ksef.sync.api;

/** Body of {@code POST /invoices/exports}. {@code compressionType} is {@code Zip} or {@code TarGz} (default Zip). */
public record InvoiceExportRequest(EncryptionInfo encryption, Boolean onlyMetadata, InvoiceQueryFilters filters,
                                   String compressionType) {
}
