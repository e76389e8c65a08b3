package dev.ksef.sync.pkg;

import dev.ksef.sync.api.InvoiceMetadata;
import dev.ksef.sync.api.InvoicePackageMetadata;
import dev.ksef.sync.api.KsefJson;
import dev.ksef.sync.crypto.Sha256;
import dev.ksef.sync.export.ExportRun;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Reads a spooled package archive without holding it in memory: {@code _metadata.json} first, then each listed
 * {@code {ksefNumber}.xml} by random access, its SHA-256 checked against the metadata's {@code invoiceHash}. Invoices
 * come out in batches (the unit of one JMS transaction) in the metadata's order; entries the metadata does not list,
 * listed invoices the archive lacks, and hash mismatches come out as records with a problem, for quarantine.
 */
public final class PackageReader {

    private final int batchSize;
    private final long maxEntryBytes;

    public PackageReader(int batchSize, long maxEntryBytes) {
        this.batchSize = batchSize;
        this.maxEntryBytes = maxEntryBytes;
    }

    public Iterator<List<InvoiceRecord>> batches(ExportRun run) throws IOException {
        if (run.status.invoicePackage().parts().isEmpty()) {
            return Collections.emptyIterator();
        }
        ZipFile zip = new ZipFile(run.spool.toFile());
        ZipEntry metadataEntry = zip.getEntry(InvoicePackageMetadata.FILE_NAME);
        if (metadataEntry == null) {
            zip.close();
            throw new PackageFormatException("package of export " + run.referenceNumber + " has no " + InvoicePackageMetadata.FILE_NAME);
        }
        List<InvoiceMetadata> listed;
        try (InputStream in = zip.getInputStream(metadataEntry)) {
            listed = KsefJson.mapper().readValue(in, InvoicePackageMetadata.class).invoices();
        }
        Set<String> listedNames = new HashSet<>();
        listed.forEach(m -> listedNames.add(m.ksefNumber() + ".xml"));
        List<String> unlisted = new ArrayList<>();
        zip.stream().map(ZipEntry::getName)
                .filter(n -> !n.equals(InvoicePackageMetadata.FILE_NAME) && !listedNames.contains(n))
                .forEach(unlisted::add);
        return new Batches(zip, listed, unlisted);
    }

    private final class Batches implements Iterator<List<InvoiceRecord>> {
        private final ZipFile zip;
        private final List<InvoiceMetadata> listed;
        private final List<String> unlisted;
        private int next;

        Batches(ZipFile zip, List<InvoiceMetadata> listed, List<String> unlisted) {
            this.zip = zip;
            this.listed = listed;
            this.unlisted = unlisted;
        }

        @Override
        public boolean hasNext() {
            boolean more = next < listed.size() + unlisted.size();
            if (!more) {
                close();
            }
            return more;
        }

        @Override
        public List<InvoiceRecord> next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            List<InvoiceRecord> batch = new ArrayList<>(batchSize);
            try {
                while (batch.size() < batchSize && next < listed.size() + unlisted.size()) {
                    batch.add(next < listed.size() ? listedInvoice(listed.get(next)) : unlistedFile(unlisted.get(next - listed.size())));
                    next++;
                }
            } catch (IOException e) {
                close();
                throw new UncheckedIOException(e);
            }
            return batch;
        }

        private InvoiceRecord listedInvoice(InvoiceMetadata metadata) throws IOException {
            ZipEntry entry = zip.getEntry(metadata.ksefNumber() + ".xml");
            if (entry == null) {
                return new InvoiceRecord(metadata.ksefNumber(), metadata, null, "listed in _metadata.json but missing from the archive");
            }
            byte[] xml = read(entry);
            if (xml == null) {
                return new InvoiceRecord(metadata.ksefNumber(), metadata, null, "entry larger than " + maxEntryBytes + " bytes");
            }
            return Sha256.base64(xml).equals(metadata.invoiceHash())
                    ? new InvoiceRecord(metadata.ksefNumber(), metadata, xml, null)
                    : new InvoiceRecord(metadata.ksefNumber(), metadata, xml, "SHA-256 does not match invoiceHash");
        }

        private InvoiceRecord unlistedFile(String name) throws IOException {
            byte[] content = read(zip.getEntry(name));
            String ksefNumber = name.endsWith(".xml") ? name.substring(0, name.length() - 4) : name;
            return new InvoiceRecord(ksefNumber, null, content, "in the archive but not in _metadata.json");
        }

        private byte[] read(ZipEntry entry) throws IOException {
            try (InputStream in = zip.getInputStream(entry)) {
                byte[] bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxEntryBytes + 1));
                return bytes.length > maxEntryBytes ? null : bytes;
            }
        }

        private void close() {
            try {
                zip.close();
            } catch (IOException ignored) {
                // read-only file
            }
        }
    }
}
