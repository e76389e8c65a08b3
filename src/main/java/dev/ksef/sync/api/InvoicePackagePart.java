package dev.ksef.sync.api;

import java.time.OffsetDateTime;

/** One encrypted part of an export package, with its pre-signed download link and the sizes and hashes to check. */
public record InvoicePackagePart(int ordinalNumber, String partName, String method, String url, long partSize,
                                 String partHash, long encryptedPartSize, String encryptedPartHash,
                                 OffsetDateTime expirationDate) {
    @Override
    public String toString() {
        // the URL carries a signature: keep it out of logs
        return "InvoicePackagePart[" + ordinalNumber + " " + partName + ", " + encryptedPartSize + " B]";
    }
}
