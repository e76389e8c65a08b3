package dev.ksef.sync.simulator;

import dev.ksef.sync.api.InvoiceMetadata;
import dev.ksef.sync.api.InvoicePackageMetadata;
import dev.ksef.sync.api.KsefJson;
import dev.ksef.sync.crypto.AesCbcStream;
import dev.ksef.sync.crypto.Sha256;
import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import javax.crypto.SecretKey;

/**
 * Builds an export package the way KSeF does: one ZIP (or, for {@code compressionType: TarGz}, a gzip-compressed
 * ustar archive: {@link TarWriter}) of {@code {ksefNumber}.xml} files plus {@code _metadata.json} (written last),
 * cut at the invoice-count or compressed-size limit, its bytes split into parts, each part AES-256-CBC encrypted on
 * its own with the client's key and IV. Everything goes through files, so package size is not bounded by memory.
 */
public final class PackageBuilder {

    /** One encrypted part on disk with the sizes and hashes the status response reports. */
    public record PartFile(int ordinalNumber, String partName, Path file, long partSize, String partHash, long encryptedPartSize,
                    String encryptedPartHash) {
    }

    /**
     * The built package. {@code lastIncluded}, the metadata of the last invoice in it, is set only when truncated. (The
     * status reports no {@code compressionType}: the 2.6.0 contract the simulator follows has none in {@code package}.)
     */
    public record BuiltPackage(int invoiceCount, long size, List<PartFile> parts, boolean truncated, InvoiceMetadata lastIncluded) {
        public OffsetDateTime lastPermanentStorageDate() {
            return lastIncluded == null ? null : lastIncluded.permanentStorageDate();
        }
    }

    /** An archive being written: ZIP or tar.gz, entries whole. */
    private interface ArchiveOut extends java.io.Closeable {
        void put(String name, byte[] data) throws IOException;

        void flush() throws IOException;
    }

    private final long partSize;
    private final int maxInvoices;
    private final long maxBytes;

    public PackageBuilder(long partSize, int maxInvoices, long maxBytes) {
        this.partSize = partSize;
        this.maxInvoices = maxInvoices;
        this.maxBytes = maxBytes;
    }

    public BuiltPackage build(String referenceNumber, List<SimInvoice> candidates, Path dir, SecretKey key, byte[] iv, Fault.Tamper tamper)
            throws IOException {
        return build(referenceNumber, candidates, dir, key, iv, tamper, false, null);
    }

    /**
     * The package of {@code candidates}; {@code onlyMetadata}: {@code _metadata.json} alone, without the XML files;
     * {@code compressionType} {@code TarGz}: a tar.gz, {@code Zip} or null: a ZIP.
     */
    public BuiltPackage build(String referenceNumber, List<SimInvoice> candidates, Path dir, SecretKey key, byte[] iv, Fault.Tamper tamper,
                              boolean onlyMetadata, String compressionType) throws IOException {
        Files.createDirectories(dir);
        boolean tarGz = "TarGz".equals(compressionType);
        String extension = tarGz ? ".tar.gz" : ".zip";
        Path zip = dir.resolve(referenceNumber + extension);
        List<InvoiceMetadata> included = new ArrayList<>();
        try (CountingOutputStream counter = new CountingOutputStream(new BufferedOutputStream(Files.newOutputStream(zip), 1 << 16));
             ArchiveOut out = tarGz ? tarGz(counter) : zip(counter)) {
            for (SimInvoice invoice : candidates) {
                if (included.size() >= maxInvoices || counter.count >= maxBytes) {
                    break;
                }
                byte[] xml = invoice.xml();
                InvoiceMetadata metadata = invoice.metadata();
                boolean first = included.isEmpty();
                if (first && tamper == Fault.Tamper.WRONG_INVOICE_HASH) {
                    metadata = metadata.withInvoiceHash(Sha256.base64("another document".getBytes(StandardCharsets.UTF_8)));
                } else if (first && tamper == Fault.Tamper.MALFORMED_XML) {
                    xml = Arrays.copyOf(xml, xml.length / 2);
                    metadata = metadata.withInvoiceHash(Sha256.base64(xml));
                }
                if (!onlyMetadata && !(first && tamper == Fault.Tamper.MISSING_INVOICE)) {
                    out.put(invoice.ksefNumber() + ".xml", xml);
                }
                out.flush();
                included.add(metadata);
            }
            if (tamper == Fault.Tamper.UNLISTED_ENTRY || tamper == Fault.Tamper.PATH_ENTRY) {
                out.put(tamper == Fault.Tamper.PATH_ENTRY ? "../../evil.xml" : "9999999999-20260101-UNLISTED-00.xml",
                        "<Faktura/>".getBytes(StandardCharsets.UTF_8));
            }
            if (tamper == Fault.Tamper.OVERSIZED_ENTRY) {
                out.put("bomb.xml", new byte[128 << 16]);
            }
            out.put(InvoicePackageMetadata.FILE_NAME, KsefJson.mapper().writeValueAsBytes(new InvoicePackageMetadata(included)));
        }
        boolean truncated = included.size() < candidates.size();
        List<PartFile> parts = split(referenceNumber, zip, dir, key, iv, extension);
        long size = Files.size(zip);
        Files.delete(zip);
        return new BuiltPackage(included.size(), size, parts, truncated,
                truncated ? included.get(included.size() - 1) : null);
    }

    private static ArchiveOut zip(OutputStream counter) {
        ZipOutputStream zip = new ZipOutputStream(counter);
        return new ArchiveOut() {
            @Override
            public void put(String name, byte[] data) throws IOException {
                zip.putNextEntry(new ZipEntry(name));
                zip.write(data);
                zip.closeEntry();
            }

            @Override
            public void flush() throws IOException {
                zip.flush();
            }

            @Override
            public void close() throws IOException {
                zip.close();
            }
        };
    }

    /** Sync-flushed, so the compressed size counted after each invoice is what the package holds so far. */
    private static ArchiveOut tarGz(OutputStream counter) throws IOException {
        GZIPOutputStream gzip = new GZIPOutputStream(counter, 1 << 16, true);
        TarWriter tar = new TarWriter(gzip, java.time.Instant.now().getEpochSecond());
        return new ArchiveOut() {
            @Override
            public void put(String name, byte[] data) throws IOException {
                tar.file(name, data);
            }

            @Override
            public void flush() throws IOException {
                gzip.flush();
            }

            @Override
            public void close() throws IOException {
                tar.finish();
                gzip.close();
            }
        };
    }

    private List<PartFile> split(String referenceNumber, Path zip, Path dir, SecretKey key, byte[] iv, String extension) throws IOException {
        List<PartFile> parts = new ArrayList<>();
        long total = Files.size(zip);
        try (InputStream in = Files.newInputStream(zip)) {
            for (int ordinal = 1; (long) (ordinal - 1) * partSize < total; ordinal++) {
                String name = String.format("%s-%03d%s.aes", referenceNumber, ordinal, extension);
                Path file = dir.resolve(name);
                AesCbcStream.Transfer transfer;
                try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16)) {
                    transfer = AesCbcStream.encrypt(new BoundedInputStream(in, partSize), out, key, iv);
                }
                parts.add(new PartFile(ordinal, name, file, transfer.plainSize(), transfer.plainHash(),
                        transfer.encryptedSize(), transfer.encryptedHash()));
            }
        }
        return parts;
    }

    private static final class CountingOutputStream extends FilterOutputStream {
        long count;

        CountingOutputStream(OutputStream out) {
            super(out);
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            count += len;
        }
    }

    /** Reads at most {@code limit} bytes of the underlying stream, leaving it open. */
    private static final class BoundedInputStream extends InputStream {
        private final InputStream in;
        private long remaining;

        BoundedInputStream(InputStream in, long limit) {
            this.in = in;
            this.remaining = limit;
        }

        @Override
        public int read() throws IOException {
            if (remaining <= 0) {
                return -1;
            }
            int b = in.read();
            if (b >= 0) {
                remaining--;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (remaining <= 0) {
                return -1;
            }
            int n = in.read(b, off, (int) Math.min(len, remaining));
            if (n > 0) {
                remaining -= n;
            }
            return n;
        }
    }
}
