package dev.ksef.sync.pkg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ksef.sync.api.InvoiceMetadata;
import dev.ksef.sync.api.InvoicePackageMetadata;
import dev.ksef.sync.api.InvoicePackagePart;
import dev.ksef.sync.api.KsefJson;
import dev.ksef.sync.crypto.Sha256;
import dev.ksef.sync.export.ExportRun;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link PackageReader} on {@code TarGz} packages: the same records and quarantine reasons as for a ZIP. */
class TarGzPackageReaderTest {

    private static final byte[] A = "<Faktura>aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa</Faktura>".getBytes(StandardCharsets.UTF_8);
    private static final byte[] B = "<Faktura>bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb</Faktura>".getBytes(StandardCharsets.UTF_8);
    private static final byte[] C = "<Faktura>cccccccccccccccccccccccccccccccc</Faktura>".getBytes(StandardCharsets.UTF_8);

    @TempDir
    Path dir;

    @Test
    void goodInvoicesPassAndEveryDisagreementIsARecordWithItsReasonWhereverTheMetadataLies() throws Exception {
        byte[] extra = "<Faktura>unlisted</Faktura>".getBytes(StandardCharsets.UTF_8);
        for (boolean metadataFirst : new boolean[] {true, false}) {
            Tar tar = new Tar();
            String metadata = metadata(meta("A", A), meta("B", "<Faktura>original</Faktura>".getBytes(StandardCharsets.UTF_8)), meta("C", C));
            if (metadataFirst) {
                tar.file(InvoicePackageMetadata.FILE_NAME, metadata.getBytes(StandardCharsets.UTF_8));
            }
            tar.file("A.xml", A).file("B.xml", B).file("D.xml", extra); // B tampered, C listed but missing, D unlisted
            if (!metadataFirst) {
                tar.file(InvoicePackageMetadata.FILE_NAME, metadata.getBytes(StandardCharsets.UTF_8));
            }
            ExportRun run = run(tar);
            List<InvoiceRecord> records = all(new PackageReader(2, 1_000, 1_000_000).batches(run));
            assertEquals(List.of("A", "B", "C", "D"), records.stream().map(InvoiceRecord::ksefNumber).toList());
            assertNull(records.get(0).problem());
            assertArrayEquals(A, records.get(0).xml());
            assertEquals("SHA-256 does not match invoiceHash", records.get(1).problem());
            assertEquals("listed in _metadata.json but missing from the archive", records.get(2).problem());
            assertEquals("in the archive but not in _metadata.json", records.get(3).problem());
            assertArrayEquals(extra, records.get(3).xml());
            Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                    assertEquals(List.of(run.spool), Files.list(dir).toList(), "the side file of entries is gone with the batches"));
        }
    }

    @Test
    void anInvoiceThatIsNotWellFormedXmlIsQuarantined() throws Exception {
        byte[] broken = "<Faktura><P_1>2026-01-01</Faktura>".getBytes(StandardCharsets.UTF_8);
        ExportRun run = run(new Tar().file("A.xml", broken).file(InvoicePackageMetadata.FILE_NAME, metadata(meta("A", broken))));
        InvoiceRecord record = new PackageReader(10, 1_000, 1_000_000).batches(run).next().get(0);
        assertTrue(record.problem().startsWith("not well-formed XML (line 1"), record.problem());
        assertArrayEquals(broken, record.xml(), "kept as it came");
    }

    @Test
    void namesWithAPathLinksAndRepeatedNamesAreQuarantinedNeverFollowed() throws Exception {
        Tar tar = new Tar().file("A.xml", A).file("../../evil.xml", B).prefixed("x", "B.xml", B).link("C.xml", "/etc/passwd")
                .file("A.xml", C).file(InvoicePackageMetadata.FILE_NAME, metadata(meta("A", A), meta("C", C)));
        List<InvoiceRecord> records = all(new PackageReader(10, 1_000, 1_000_000).batches(run(tar)));
        assertEquals(List.of("A", "C", "evil", "B", "A"), records.stream().map(InvoiceRecord::ksefNumber).toList());
        assertNull(records.get(0).problem());
        assertEquals("not a regular file in the archive (tar type '2')", records.get(1).problem());
        assertEquals("entry name with a path in the archive: ../../evil.xml", records.get(2).problem());
        assertEquals("entry name with a path in the archive: x/B.xml", records.get(3).problem());
        assertEquals("entry name repeated in the archive", records.get(4).problem());
        assertArrayEquals(C, records.get(4).xml(), "the repeated entry is kept for a look, the first one delivered");
    }

    @Test
    void entriesOverTheEntryCapOrPastThePackageCapAreQuarantinedUnread() throws Exception {
        byte[] big = new byte[5_000];
        Tar tar = new Tar().file("A.xml", A).file("X.xml", big).file("B.xml", B).file("C.xml", C)
                .file(InvoicePackageMetadata.FILE_NAME, metadata(meta("A", A), meta("X", big), meta("B", B), meta("C", C)));
        List<InvoiceRecord> records = all(new PackageReader(10, 1_000, 1_000_000).batches(run(tar)));
        assertNull(records.get(0).problem());
        assertEquals("entry larger than 1000 bytes", records.get(1).problem());
        assertNull(records.get(1).xml());
        assertNull(records.get(2).problem());

        int cap = A.length + B.length / 2;
        records = all(new PackageReader(10, 1_000, cap).batches(run(tar)));
        assertNull(records.get(0).problem());
        assertEquals("package larger than " + cap + " bytes uncompressed: entry not read", records.get(1).problem());
        assertNull(records.get(1).xml());
        assertEquals(records.get(1).problem(), records.get(2).problem());
        assertEquals(records.get(1).problem(), records.get(3).problem());
    }

    @Test
    void anArchiveThatIsCutShortDamagedOrLacksItsMetadataIsNotReadAtAll() throws Exception {
        byte[] whole = new Tar().file("A.xml", A).file("B.xml", B).file(InvoicePackageMetadata.FILE_NAME, metadata(meta("A", A), meta("B", B)))
                .gzip();
        ExportRun run = run(Arrays.copyOf(whole, whole.length - 12)); // the gzip trailer and some data gone
        assertTrue(assertThrows(PackageFormatException.class, () -> new PackageReader(10, 1_000, 1_000_000).batches(run)).getMessage()
                .startsWith("not a readable tar.gz: "));
        assertEquals(List.of(run.spool), Files.list(dir).toList(), "no side file left behind");

        byte[] tar = new Tar().file("A.xml", A).file(InvoicePackageMetadata.FILE_NAME, metadata(meta("A", A))).tar();
        tar[10] ^= 1; // a name byte: the header checksum no longer matches
        assertEquals("tar header checksum does not match: not a tar archive or a damaged one",
                assertThrows(PackageFormatException.class, () -> new PackageReader(10, 1_000, 1_000_000).batches(run(gzip(tar)))).getMessage());

        ExportRun noMetadata = run(new Tar().file("A.xml", A));
        assertEquals("package of export " + noMetadata.referenceNumber + " has no _metadata.json",
                assertThrows(PackageFormatException.class, () -> new PackageReader(10, 1_000, 1_000_000).batches(noMetadata)).getMessage());
    }

    @Test
    void anArchiveThatInflatesFarPastThePackageCapIsRefusedWhole() throws Exception {
        ExportRun run = run(new Tar().file("A.xml", A).file("bomb.xml", new byte[3 << 20]).file(InvoicePackageMetadata.FILE_NAME, metadata(meta("A", A))));
        PackageFormatException refused = assertThrows(PackageFormatException.class, () -> new PackageReader(10, 1_000, 1_000).batches(run));
        assertEquals("the archive inflates to more than " + (2_000 + (1 << 20)) + " bytes", refused.getMessage());
        assertEquals(List.of(run.spool), Files.list(dir).toList(), "no side file left behind");
    }

    @Test
    void paxRecordsAndGnuLongNamesNameTheEntryThatFollows() throws Exception {
        String longName = "5265877635-20260101-" + "0".repeat(90) + "-AA";
        Tar tar = new Tar().pax("path", "A.xml", "mtime", "1764460800.5").file("ignored-by-pax.xml", A)
                .longName(longName + ".xml").file("cut-to-100-bytes.xml", B)
                .global("comment", "for every entry").file(InvoicePackageMetadata.FILE_NAME, metadata(meta("A", A), meta(longName, B)));
        List<InvoiceRecord> records = all(new PackageReader(10, 1_000, 1_000_000).batches(run(tar)));
        assertEquals(List.of("A", longName), records.stream().map(InvoiceRecord::ksefNumber).toList());
        assertNull(records.get(0).problem());
        assertNull(records.get(1).problem());
        assertArrayEquals(B, records.get(1).xml());
    }

    @Test
    void aPackageWrittenByGnuTarInPosixFormatReads() throws Exception {
        Path content = Files.createDirectories(dir.resolve("content"));
        Files.write(content.resolve("A.xml"), A);
        Files.write(content.resolve("B.xml"), B);
        Files.writeString(content.resolve(InvoicePackageMetadata.FILE_NAME), metadata(meta("A", A), meta("B", B)));
        Path tarGz = dir.resolve("gnu.tar.gz");
        Process tar = new ProcessBuilder("tar", "--format=posix", "-czf", tarGz.toString(), "-C", content.toString(),
                InvoicePackageMetadata.FILE_NAME, "A.xml", "B.xml").redirectErrorStream(true).start();
        assertEquals(0, tar.waitFor(), new String(tar.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        ExportRun run = run(Files.readAllBytes(tarGz));
        List<InvoiceRecord> records = all(new PackageReader(10, 1_000, 1_000_000).batches(run));
        assertEquals(List.of("A", "B"), records.stream().map(InvoiceRecord::ksefNumber).toList());
        assertNull(records.get(0).problem());
        assertNull(records.get(1).problem());
        assertArrayEquals(B, records.get(1).xml());
    }

    private static List<InvoiceRecord> all(Iterator<List<InvoiceRecord>> batches) {
        List<InvoiceRecord> records = new ArrayList<>();
        batches.forEachRemaining(records::addAll);
        return records;
    }

    private ExportRun run(Tar tar) throws IOException {
        return run(tar.gzip());
    }

    private ExportRun run(byte[] tarGz) throws IOException {
        ExportRun run = PackageFixtures.run(List.of(new InvoicePackagePart(1, "p", "GET", "u", 1, "h", 16, "h", null)));
        run.spool = Files.write(dir.resolve("package.tar.gz"), tarGz);
        return run;
    }

    private static byte[] gzip(byte[] bytes) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (OutputStream gz = new GZIPOutputStream(out)) {
            gz.write(bytes);
        }
        return out.toByteArray();
    }

    private static String metadata(InvoiceMetadata... listed) throws IOException {
        return KsefJson.mapper().writeValueAsString(new InvoicePackageMetadata(List.of(listed)));
    }

    private static InvoiceMetadata meta(String ksefNumber, byte[] xml) {
        return new InvoiceMetadata(ksefNumber, "FV/" + ksefNumber, null, null, null, null, new InvoiceMetadata.Seller("5265877635", null),
                null, 0, 0, 0, "PLN", "Online", "Vat", null, false, false, Sha256.base64(xml), null, null, null);
    }

    /** A ustar archive written here, independently of the simulator's writer. */
    private static final class Tar {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        Tar file(String name, String text) {
            return file(name, text.getBytes(StandardCharsets.UTF_8));
        }

        Tar file(String name, byte[] data) {
            return entry("", name, '0', "", data);
        }

        Tar prefixed(String prefix, String name, byte[] data) {
            return entry(prefix, name, '0', "", data);
        }

        Tar link(String name, String target) {
            return entry("", name, '2', target, new byte[0]);
        }

        /** A pax extended header ('x') of key/value pairs for the next entry. */
        Tar pax(String... keyValues) {
            return entry("", "PaxHeaders/x", 'x', "", records(keyValues));
        }

        /** A pax global header ('g'). */
        Tar global(String... keyValues) {
            return entry("", "GlobalHead.0", 'g', "", records(keyValues));
        }

        /** A GNU long name ('L') for the next entry. */
        Tar longName(String name) {
            return entry("", "././@LongLink", 'L', "", (name + "\0").getBytes(StandardCharsets.UTF_8));
        }

        private static byte[] records(String... keyValues) {
            StringBuilder records = new StringBuilder();
            for (int i = 0; i < keyValues.length; i += 2) {
                String record = " " + keyValues[i] + "=" + keyValues[i + 1] + "\n";
                int length = record.length() + 1;
                length = record.length() + String.valueOf(length).length(); // the length counts its own digits
                records.append(length).append(record);
            }
            return records.toString().getBytes(StandardCharsets.UTF_8);
        }

        private Tar entry(String prefix, String name, char type, String link, byte[] data) {
            byte[] h = new byte[512];
            put(h, 0, name.length() > 100 ? name.substring(0, 100) : name);
            put(h, 100, "0000644");
            put(h, 124, String.format("%011o", data.length));
            put(h, 136, "00000000000");
            Arrays.fill(h, 148, 156, (byte) ' ');
            h[156] = (byte) type;
            put(h, 157, link);
            put(h, 257, "ustar");
            put(h, 263, "00");
            put(h, 345, prefix);
            int sum = 0;
            for (byte b : h) {
                sum += b & 0xff;
            }
            put(h, 148, String.format("%06o", sum));
            h[154] = 0;
            out.writeBytes(h);
            out.writeBytes(data);
            out.writeBytes(new byte[(512 - data.length % 512) % 512]);
            return this;
        }

        private static void put(byte[] h, int offset, String s) {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            System.arraycopy(b, 0, h, offset, b.length);
        }

        byte[] tar() {
            ByteArrayOutputStream copy = new ByteArrayOutputStream();
            copy.writeBytes(out.toByteArray());
            copy.writeBytes(new byte[1024]);
            return copy.toByteArray();
        }

        byte[] gzip() throws IOException {
            return TarGzPackageReaderTest.gzip(tar());
        }
    }
}
