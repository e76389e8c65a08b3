package dev.ksef.sync.pkg;

import dev.ksef.sync.api.InvoiceMetadata;
import dev.ksef.sync.api.InvoicePackageMetadata;
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
 * {@code {ksefNumber}.xml} by random access, its SHA-256 checked against the metadata's {@code invoiceHash} and its
 * XML checked to be well-formed. Invoices come out in batches (the unit of one JMS transaction) in the metadata's
 * order; entries the metadata does not list (among them any name with a path: nothing is ever written out by name),
 * listed invoices the archive lacks, hash mismatches, malformed XML, and entries over the per-entry cap or past the
 * package's total cap (zip bombs: sizes are counted as read, not trusted from headers) come out as records with a
 * problem, for quarantine. Batches are read one ahead of the consumer on a thread of their own ({@link ReadAhead}).
 */
public final class PackageReader {

    private final int batchSize;
    private final long maxEntryBytes;
    private final long maxPackageBytes;

    private final long maxBatchBytes;

    public PackageReader(int batchSize, long maxEntryBytes, long maxPackageBytes) {
        this(batchSize, maxEntryBytes, maxPackageBytes, 16L << 20);
    }

    /** A batch ends at {@code batchSize} invoices or once it holds {@code maxBatchBytes} of them, whichever comes first. */
    public PackageReader(int batchSize, long maxEntryBytes, long maxPackageBytes, long maxBatchBytes) {
        this.batchSize = batchSize;
        this.maxEntryBytes = maxEntryBytes;
        this.maxPackageBytes = maxPackageBytes;
        this.maxBatchBytes = maxBatchBytes;
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
        List<String> listed;
        MetadataEntries entries;
        try (InputStream in = zip.getInputStream(metadataEntry)) {
            listed = MetadataEntries.ksefNumbers(in);
            entries = new MetadataEntries(zip.getInputStream(metadataEntry));
        } catch (IOException e) {
            zip.close();
            throw new PackageFormatException("package of export " + run.referenceNumber + " has an unreadable "
                    + InvoicePackageMetadata.FILE_NAME + ": " + e.getMessage());
        }
        Set<String> listedNames = new HashSet<>();
        listed.stream().filter(java.util.Objects::nonNull).forEach(n -> listedNames.add(n + ".xml"));
        List<String> unlisted = new ArrayList<>();
        zip.stream().map(ZipEntry::getName)
                .filter(n -> !n.equals(InvoicePackageMetadata.FILE_NAME) && !listedNames.contains(n))
                .forEach(unlisted::add);
        Batches batches = new Batches(zip, entries, listed, unlisted);
        return new ReadAhead<>(batches, () -> {
            entries.close();
            zip.close();
        }, "ksef-package-reader-" + run.referenceNumber);
    }

    private final class Batches implements Iterator<List<InvoiceRecord>> {
        private final ZipFile zip;
        private final MetadataEntries entries;
        private final List<String> listed;
        private final List<String> unlisted;
        private final ThreadLocal<InvoiceXmlCheck> xmlCheck = ThreadLocal.withInitial(InvoiceXmlCheck::new);
        private long bytesRead;
        private int next;

        Batches(ZipFile zip, MetadataEntries entries, List<String> listed, List<String> unlisted) {
            this.zip = zip;
            this.entries = entries;
            this.listed = listed;
            this.unlisted = unlisted;
        }

        @Override
        public boolean hasNext() {
            return next < listed.size() + unlisted.size();
        }

        @Override
        public List<InvoiceRecord> next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            List<InvoiceRecord> batch = new ArrayList<>(batchSize);
            long batchBytes = 0;
            try {
                while (batch.size() < batchSize && batchBytes < maxBatchBytes && next < listed.size() + unlisted.size()) {
                    InvoiceRecord record = next < listed.size() ? listedInvoice(listed.get(next), entries.next())
                            : unlistedFile(unlisted.get(next - listed.size()));
                    batch.add(record);
                    batchBytes += record.xml() == null ? 0 : record.xml().length;
                    next++;
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            // inflating is sequential; the hash and XML checks of the batch's invoices run on every core
            java.util.stream.IntStream.range(0, batch.size()).parallel().forEach(i -> batch.set(i, checked(batch.get(i))));
            return batch;
        }

        private InvoiceRecord listedInvoice(String ksefNumber, MetadataEntries.Entry listing) throws IOException {
            ZipEntry entry = ksefNumber == null ? null : zip.getEntry(ksefNumber + ".xml");
            if (listing.problem() != null || ksefNumber == null) {
                String problem = ksefNumber == null ? "its " + InvoicePackageMetadata.FILE_NAME + " entry has no ksefNumber" : listing.problem();
                byte[] xml = entry == null || capProblem() != null ? null : read(entry);
                return new InvoiceRecord(ksefNumber == null ? "unnumbered-" + next : ksefNumber, null, xml, problem);
            }
            InvoiceMetadata metadata = listing.metadata();
            if (entry == null) {
                return new InvoiceRecord(metadata.ksefNumber(), metadata, null, "listed in _metadata.json but missing from the archive");
            }
            String capped = capProblem();
            byte[] xml = capped == null ? read(entry) : null;
            if (xml == null) {
                return new InvoiceRecord(metadata.ksefNumber(), metadata, null, capProblem() != null ? capProblem() : "entry larger than " + maxEntryBytes + " bytes");
            }
            return new InvoiceRecord(metadata.ksefNumber(), metadata, xml, null);
        }

        /** A listed invoice read whole: its hash against the metadata, then its XML. */
        private InvoiceRecord checked(InvoiceRecord record) {
            if (!record.valid() || record.metadata() == null) {
                return record;
            }
            if (!Sha256.base64(record.xml()).equals(record.metadata().invoiceHash())) {
                return new InvoiceRecord(record.ksefNumber(), record.metadata(), record.xml(), "SHA-256 does not match invoiceHash");
            }
            String problem = xmlCheck.get().problem(record.xml());
            return problem == null ? record : new InvoiceRecord(record.ksefNumber(), record.metadata(), record.xml(), problem);
        }

        private InvoiceRecord unlistedFile(String name) throws IOException {
            String baseName = name.substring(Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\')) + 1);
            String ksefNumber = baseName.endsWith(".xml") ? baseName.substring(0, baseName.length() - 4) : baseName;
            String capped = capProblem();
            byte[] content = capped == null ? read(zip.getEntry(name)) : null;
            String problem = !baseName.equals(name) ? "entry name with a path in the archive: " + name.replaceAll("[^\\x20-\\x7e]", "?")
                    : "in the archive but not in _metadata.json";
            if (content == null) {
                problem += "; " + (capProblem() != null ? capProblem() : "entry larger than " + maxEntryBytes + " bytes");
            }
            return new InvoiceRecord(ksefNumber, null, content, problem);
        }

        /** Past the package's total cap, entries are no longer read. */
        private String capProblem() {
            return bytesRead > maxPackageBytes ? "package larger than " + maxPackageBytes + " bytes uncompressed: entry not read" : null;
        }

        /** At most the per-entry cap (and what is left of the total cap) is read; null when the entry is larger. */
        private byte[] read(ZipEntry entry) throws IOException {
            try (InputStream in = zip.getInputStream(entry)) {
                long limit = Math.min(maxEntryBytes, maxPackageBytes - bytesRead);
                byte[] bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, limit + 1));
                bytesRead += bytes.length;
                return bytes.length > limit ? null : bytes;
            }
        }
    }
}
