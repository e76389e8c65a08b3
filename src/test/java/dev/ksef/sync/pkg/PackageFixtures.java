package dev.ksef.sync.pkg;

import dev.ksef.sync.api.EncryptionInfo;
import dev.ksef.sync.api.InvoiceExportStatusResponse;
import dev.ksef.sync.api.InvoicePackage;
import dev.ksef.sync.api.InvoicePackagePart;
import dev.ksef.sync.api.StatusInfo;
import dev.ksef.sync.crypto.EncryptionData;
import dev.ksef.sync.export.ExportRun;
import java.time.OffsetDateTime;
import java.util.List;

/** An {@link ExportRun} with fixed key material and a given package description, for bean tests. */
final class PackageFixtures {

    private PackageFixtures() {
    }

    static ExportRun run(List<InvoicePackagePart> parts) {
        byte[] key = new byte[32];
        byte[] iv = new byte[16];
        for (int i = 0; i < 32; i++) {
            key[i] = (byte) i;
        }
        ExportRun run = new ExportRun("5265877635", "Subject1", "q", OffsetDateTime.now(), null,
                new EncryptionData(key, iv, new EncryptionInfo("k", "iv", null)));
        run.referenceNumber = "20261122-EH-0000000001-0000000001-00";
        run.status = new InvoiceExportStatusResponse(new StatusInfo(200, "ok", null), null, null,
                new InvoicePackage(1, 1, parts, false, null, null, null, OffsetDateTime.now(), null));
        return run;
    }
}
