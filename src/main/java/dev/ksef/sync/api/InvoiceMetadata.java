package dev.ksef.sync.api;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.List;

/** {@code InvoiceMetadata}: one invoice as listed in a package's {@code _metadata.json}, every field of the schema. */
public record InvoiceMetadata(String ksefNumber, String invoiceNumber, LocalDate issueDate, OffsetDateTime invoicingDate,
                              OffsetDateTime acquisitionDate, OffsetDateTime permanentStorageDate, Seller seller, Buyer buyer,
                              double netAmount, double grossAmount, double vatAmount, String currency, String invoicingMode,
                              String invoiceType, FormCode formCode, boolean isSelfInvoicing, boolean hasAttachment,
                              String invoiceHash, String hashOfCorrectedInvoice, List<ThirdSubject> thirdSubjects,
                              AuthorizedSubject authorizedSubject) {

    /** The same listing with another {@code invoiceHash}. */
    public InvoiceMetadata withInvoiceHash(String hash) {
        return new InvoiceMetadata(ksefNumber, invoiceNumber, issueDate, invoicingDate, acquisitionDate, permanentStorageDate, seller, buyer,
                netAmount, grossAmount, vatAmount, currency, invoicingMode, invoiceType, formCode, isSelfInvoicing, hasAttachment, hash,
                hashOfCorrectedInvoice, thirdSubjects, authorizedSubject);
    }

    public record Seller(String nip, String name) {
    }

    public record Identifier(String type, String value) {
    }

    public record Buyer(Identifier identifier, String name) {
    }

    public record FormCode(String systemCode, String schemaVersion, String value) {
    }

    public record ThirdSubject(Identifier identifier, String name, int role) {
    }

    public record AuthorizedSubject(String nip, String name, int role) {
    }
}
