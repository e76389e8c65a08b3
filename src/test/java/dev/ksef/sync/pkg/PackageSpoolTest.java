package dev.ksef.sync.pkg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ksef.sync.api.InvoicePackagePart;
import dev.ksef.sync.crypto.AesCbcStream;
import dev.ksef.sync.export.ExportRun;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PackageSpoolTest {

    @TempDir
    Path dataDir;

    @Test
    void aPartThatFailsItsChecksIsCutOffAndTheGoodOneAppended() throws Exception {
        ExportRun run = PackageFixtures.run(List.of());
        byte[] first = "first part of the archive|".getBytes(StandardCharsets.UTF_8);
        byte[] second = "second part".getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream e1 = new ByteArrayOutputStream();
        ByteArrayOutputStream e2 = new ByteArrayOutputStream();
        var t1 = AesCbcStream.encrypt(new ByteArrayInputStream(first), e1, run.encryption.secretKey(), run.encryption.iv());
        var t2 = AesCbcStream.encrypt(new ByteArrayInputStream(second), e2, run.encryption.secretKey(), run.encryption.iv());
        InvoicePackagePart p1 = part(1, t1);
        InvoicePackagePart p2 = part(2, t2);
        PackageSpool spool = new PackageSpool(dataDir.resolve("spool"));
        spool.open(run);
        spool.appendPart(run, p1, new ByteArrayInputStream(e1.toByteArray()));

        byte[] flipped = e2.toByteArray();
        flipped[3] ^= 1;
        var wrong = assertThrows(PartIntegrityException.class, () -> spool.appendPart(run, p2, new ByteArrayInputStream(flipped)));
        assertTrue(wrong.getMessage().contains("part 2"), wrong.getMessage());
        byte[] html = "<html>Request unsuccessful</html>".getBytes(StandardCharsets.UTF_8);
        assertThrows(PartIntegrityException.class, () -> spool.appendPart(run, p2, new ByteArrayInputStream(html)));
        assertArrayEquals(first, Files.readAllBytes(run.spool), "failed parts leave nothing behind");

        spool.appendPart(run, p2, new ByteArrayInputStream(e2.toByteArray()));
        ByteArrayOutputStream both = new ByteArrayOutputStream();
        both.write(first);
        both.write(second);
        assertArrayEquals(both.toByteArray(), Files.readAllBytes(run.spool));
    }

    @Test
    void reopeningAnExportRemovesTheSideFileAStoppedProcessLeftAndNoOtherExportsFiles() throws Exception {
        ExportRun run = PackageFixtures.run(List.of());
        Path directory = Files.createDirectories(dataDir.resolve("spool"));
        Path stale = Files.writeString(directory.resolve(run.referenceNumber + ".zip.8123.entries"), "decrypted invoices");
        Path othersSide = Files.writeString(directory.resolve("20261130-EH-0000000000-0000000000-00.zip.77.entries"), "another export's");
        new PackageSpool(directory).open(run);
        assertFalse(Files.exists(stale));
        assertTrue(Files.exists(othersSide), "another export's side file stays");
        assertEquals(0, Files.size(run.spool));
    }

    private static InvoicePackagePart part(int ordinal, AesCbcStream.Transfer t) {
        return new InvoicePackagePart(ordinal, "p-" + ordinal, "GET", "http://x", t.plainSize(), t.plainHash(), t.encryptedSize(),
                t.encryptedHash(), null);
    }
}
