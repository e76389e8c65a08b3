package dev.ksef.sync.pkg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ksef.sync.api.InvoiceMetadata;
import dev.ksef.sync.api.InvoicePackageMetadata;
import dev.ksef.sync.api.InvoicePackagePart;
import dev.ksef.sync.api.KsefJson;
import dev.ksef.sync.crypto.Sha256;
import dev.ksef.sync.export.ExportRun;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PackageReaderTest {

    @TempDir
    Path dir;

    @Test
    void goodInvoicesPassAndEveryDisagreementIsARecordWithItsReason() throws Exception {
        byte[] good = "<Faktura>good</Faktura>".getBytes(StandardCharsets.UTF_8);
        byte[] tampered = "<Faktura>changed</Faktura>".getBytes(StandardCharsets.UTF_8);
        byte[] extra = "<Faktura>unlisted</Faktura>".getBytes(StandardCharsets.UTF_8);
        List<InvoiceMetadata> listed = List.of(meta("A", Sha256.base64(good)), meta("B", Sha256.base64("original".getBytes())),
                meta("C", Sha256.base64(good)));
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put("A.xml", good);
        entries.put("B.xml", tampered);
        entries.put("D.xml", extra); // C is listed but missing
        ExportRun run = PackageFixtures.run(List.of(new InvoicePackagePart(1, "p", "GET", "u", 1, "h", 16, "h", null)));
        run.spool = zip(entries, listed);

        List<InvoiceRecord> records = new ArrayList<>();
        var batches = new PackageReader(2, 1_000, 1_000_000).batches(run);
        int batchCount = 0;
        while (batches.hasNext()) {
            records.addAll(batches.next());
            batchCount++;
        }
        assertEquals(2, batchCount, "4 records in batches of 2");
        assertEquals(List.of("A", "B", "C", "D"), records.stream().map(InvoiceRecord::ksefNumber).toList());
        assertNull(records.get(0).problem());
        assertArrayEquals(good, records.get(0).xml());
        assertEquals("SHA-256 does not match invoiceHash", records.get(1).problem());
        assertEquals("listed in _metadata.json but missing from the archive", records.get(2).problem());
        assertEquals("in the archive but not in _metadata.json", records.get(3).problem());
        assertArrayEquals(extra, records.get(3).xml());
    }

    @Test
    void anEntryOverTheSizeCapIsQuarantinedNotRead() throws Exception {
        byte[] big = new byte[5_000];
        ExportRun run = PackageFixtures.run(List.of(new InvoicePackagePart(1, "p", "GET", "u", 1, "h", 16, "h", null)));
        run.spool = zip(Map.of("A.xml", big), List.of(meta("A", Sha256.base64(big))));
        InvoiceRecord record = new PackageReader(10, 1_000, 1_000_000).batches(run).next().get(0);
        assertEquals("entry larger than 1000 bytes", record.problem());
    }

    @Test
    void anEntryThatInflatesToMoreThanItsHeaderDeclaresOrNotAtAllIsQuarantinedAndTheRestIsRead() throws Exception {
        ExportRun run = abc();
        byte[] archive = Files.readAllBytes(run.spool);
        ByteBuffer.wrap(archive, centralHeader(archive, "A.xml") + 24, 4).order(ByteOrder.LITTLE_ENDIAN).putInt(10);
        archive[localData(archive, "B.xml")] = (byte) 0xff; // deflate block type 3: not a deflate stream
        Files.write(run.spool, archive);
        List<InvoiceRecord> records = new PackageReader(10, 1_000, 1_000_000).batches(run).next();
        assertEquals("entry unreadable: inflates to more than the 10 bytes its header declares", records.get(0).problem());
        assertNull(records.get(0).xml());
        assertTrue(records.get(1).problem().startsWith("entry unreadable: "), records.get(1).problem());
        assertNull(records.get(2).problem());
        assertArrayEquals(C, records.get(2).xml());
    }

    private static final byte[] A = "<Faktura>aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa</Faktura>".getBytes(StandardCharsets.UTF_8);
    private static final byte[] B = "<Faktura>bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb</Faktura>".getBytes(StandardCharsets.UTF_8);
    private static final byte[] C = "<Faktura>cccccccccccccccccccccccccccccccc</Faktura>".getBytes(StandardCharsets.UTF_8);

    /** A package of three good invoices A, B and C, listed in that order. */
    private ExportRun abc() throws Exception {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put("A.xml", A);
        entries.put("B.xml", B);
        entries.put("C.xml", C);
        ExportRun run = PackageFixtures.run(List.of(new InvoicePackagePart(1, "p", "GET", "u", 1, "h", 16, "h", null)));
        run.spool = zip(entries, List.of(meta("A", Sha256.base64(A)), meta("B", Sha256.base64(B)), meta("C", Sha256.base64(C))));
        return run;
    }

    /** Offset of the central-directory record of {@code name}. */
    private static int centralHeader(byte[] zip, String name) {
        return find(zip, new byte[] {0x50, 0x4b, 0x01, 0x02}, name, 46);
    }

    /** Offset of the (compressed) data of {@code name}, after its local header. */
    private static int localData(byte[] zip, String name) {
        int header = find(zip, new byte[] {0x50, 0x4b, 0x03, 0x04}, name, 30);
        ByteBuffer b = ByteBuffer.wrap(zip).order(ByteOrder.LITTLE_ENDIAN);
        return header + 30 + b.getShort(header + 26) + b.getShort(header + 28);
    }

    private static int find(byte[] zip, byte[] signature, String name, int nameOffset) {
        byte[] n = name.getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i + nameOffset + n.length <= zip.length; i++) {
            if (Arrays.equals(zip, i, i + 4, signature, 0, 4) && Arrays.equals(zip, i + nameOffset, i + nameOffset + n.length, n, 0, n.length)) {
                return i;
            }
        }
        throw new AssertionError(name + " not found");
    }

    @Test
    void pastThePackagesTotalCapEntriesAreQuarantinedUnread() throws Exception {
        ExportRun run = abc();
        int a = A.length;
        int b = B.length;
        List<InvoiceRecord> records = new PackageReader(10, 1_000, a + b / 2).batches(run).next();
        assertNull(records.get(0).problem());
        assertEquals("package larger than " + (a + b / 2) + " bytes uncompressed: entry not read", records.get(1).problem());
        assertNull(records.get(1).xml());
        assertEquals(records.get(1).problem(), records.get(2).problem());
    }

    @Test
    void aBatchEndsAtItsByteCapSoLargeInvoicesDoNotPileUpInMemory() throws Exception {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        List<InvoiceMetadata> listed = new ArrayList<>();
        for (String n : List.of("A", "B", "C", "D", "E")) {
            byte[] xml = ("<Faktura>" + n.repeat(400) + "</Faktura>").getBytes(StandardCharsets.UTF_8);
            entries.put(n + ".xml", xml);
            listed.add(meta(n, Sha256.base64(xml)));
        }
        ExportRun run = PackageFixtures.run(List.of(new InvoicePackagePart(1, "p", "GET", "u", 1, "h", 16, "h", null)));
        run.spool = zip(entries, listed);
        var batches = new PackageReader(500, 10_000, 1_000_000, 800).batches(run);
        List<Integer> sizes = new ArrayList<>();
        while (batches.hasNext()) {
            sizes.add(batches.next().size());
        }
        assertEquals(List.of(2, 2, 1), sizes, "each invoice holds 419 bytes: two reach the 800-byte cap");
    }

    @Test
    void anInvoiceThatIsNotWellFormedXmlOrDeclaresEntitiesIsQuarantined() throws Exception {
        byte[] broken = "<Faktura><P_1>2026-01-01</Faktura>".getBytes(StandardCharsets.UTF_8);
        byte[] xxe = "<?xml version=\"1.0\"?><!DOCTYPE f [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><Faktura>&x;</Faktura>"
                .getBytes(StandardCharsets.UTF_8);
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put("A.xml", broken);
        entries.put("B.xml", xxe);
        ExportRun run = PackageFixtures.run(List.of(new InvoicePackagePart(1, "p", "GET", "u", 1, "h", 16, "h", null)));
        run.spool = zip(entries, List.of(meta("A", Sha256.base64(broken)), meta("B", Sha256.base64(xxe))));
        List<InvoiceRecord> records = new PackageReader(10, 1_000, 1_000_000).batches(run).next();
        assertTrue(records.get(0).problem().startsWith("not well-formed XML (line 1"), records.get(0).problem());
        assertTrue(records.get(1).problem().contains("DOCTYPE"), "no DTD or entity is ever resolved: " + records.get(1).problem());
        assertArrayEquals(xxe, records.get(1).xml(), "kept as it came");
    }

    @Test
    void aMetadataEntryThatDoesNotReadSpoilsOnlyItsOwnInvoice() throws Exception {
        byte[] good = "<Faktura>good</Faktura>".getBytes(StandardCharsets.UTF_8);
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put("A.xml", good);
        entries.put("B.xml", good);
        entries.put("C.xml", good);
        String json = KsefJson.mapper().writeValueAsString(new InvoicePackageMetadata(List.of(meta("A", Sha256.base64(good)),
                meta("B", Sha256.base64(good)), meta("C", Sha256.base64(good)))));
        // B's issueDate is no date, and a fourth entry has no ksefNumber at all
        json = json.replace("\"ksefNumber\":\"B\"", "\"ksefNumber\":\"B\",\"issueDate\":\"yesterday\"")
                .replace("]}", ",{\"invoiceNumber\":\"FV/X\"}]}");
        ExportRun run = PackageFixtures.run(List.of(new InvoicePackagePart(1, "p", "GET", "u", 1, "h", 16, "h", null)));
        run.spool = zip(entries, json);
        List<InvoiceRecord> records = new PackageReader(10, 1_000, 1_000_000).batches(run).next();
        assertEquals(List.of("A", "B", "C", "unnumbered-3"), records.stream().map(InvoiceRecord::ksefNumber).toList());
        assertNull(records.get(0).problem());
        assertTrue(records.get(1).problem().startsWith("its _metadata.json entry is unreadable"), records.get(1).problem());
        assertArrayEquals(good, records.get(1).xml(), "the invoice itself is kept for quarantine");
        assertNull(records.get(2).problem());
        assertEquals("its _metadata.json entry has no ksefNumber", records.get(3).problem());
    }

    private Path zip(Map<String, byte[]> entries, List<InvoiceMetadata> listed) throws Exception {
        return zip(entries, KsefJson.mapper().writeValueAsString(new InvoicePackageMetadata(listed)));
    }

    private Path zip(Map<String, byte[]> entries, String metadataJson) throws Exception {
        Path file = dir.resolve("package.zip");
        try (OutputStream out = Files.newOutputStream(file); ZipOutputStream zip = new ZipOutputStream(out)) {
            for (var e : entries.entrySet()) {
                zip.putNextEntry(new ZipEntry(e.getKey()));
                zip.write(e.getValue());
            }
            zip.putNextEntry(new ZipEntry(InvoicePackageMetadata.FILE_NAME));
            zip.write(metadataJson.getBytes(StandardCharsets.UTF_8));
        }
        return file;
    }

    private static InvoiceMetadata meta(String ksefNumber, String hash) {
        return new InvoiceMetadata(ksefNumber, "FV/" + ksefNumber, null, null, null, null, new InvoiceMetadata.Seller("5265877635", null),
                null, 0, 0, 0, "PLN", "Online", "Vat", null, false, false, hash, null, null, null);
    }
}
