package dev.ksef.sync.api;

/** 201 response of {@code POST /invoices/exports}: the export's reference number. */
public record ExportInvoicesResponse(String referenceNumber) {
}
