package dev.ksef.sync.pkg;

import dev.ksef.sync.api.InvoiceMetadata;
import dev.ksef.sync.api.InvoicePackageMetadata;
import dev.ksef.sync.crypto.Sha256;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * The batches of one package archive for {@link PackageReader}: listed invoices in the metadata's order, then the
 * entries the metadata does not list. A batch is planned in order (metadata listing, caps, batch bounds, all from the
 * archive's entry list: a ZIP's central directory, a tar's headers), then its entries are read, bound and checked on
 * the check threads ({@link ParallelChecks}).
 */
final class PackageBatches implements Iterator<List<InvoiceRecord>> {

    /** Batch bounds and size caps (see {@link PackageReader}). */
    record Limits(int batchSize, long maxBatchBytes, long maxEntryBytes, long maxPackageBytes) {
    }

    private final PackageArchive archive;
    private final MetadataEntries entries;
    private final List<String> listed;
    private final List<PackageArchive.Entry> unlisted;
    private final int batchSize;
    private final long maxBatchBytes;
    private final long maxEntryBytes;
    private final long maxPackageBytes;
    private final InvoiceXmlCheck xmlCheck = new InvoiceXmlCheck();
    private final ParallelChecks checks;
    private long bytesAdmitted;
    private boolean overPackageCap;
    private int next;

    PackageBatches(PackageArchive archive, MetadataEntries entries, List<String> listed, List<PackageArchive.Entry> unlisted, Limits limits, ParallelChecks checks) {
        this.archive = archive;
        this.checks = checks;
        this.entries = entries;
        this.listed = listed;
        this.unlisted = unlisted;
        this.batchSize = limits.batchSize;
        this.maxBatchBytes = limits.maxBatchBytes;
        this.maxEntryBytes = limits.maxEntryBytes;
        this.maxPackageBytes = limits.maxPackageBytes;
    }

    @Override
    public boolean hasNext() {
        return next < listed.size() + unlisted.size();
    }

    /**
     * Planned in order (metadata, caps, batch bounds, all from the archive's entry list), then read and checked on
     * the check threads: entries are independent, and the archive on disk is read concurrently.
     */
    @Override
    public List<InvoiceRecord> next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        List<Pending> batch = new ArrayList<>(batchSize);
        long batchBytes = 0;
        try {
            while (batch.size() < batchSize && batchBytes < maxBatchBytes && hasNext()) {
                Pending pending = next < listed.size() ? listedInvoice(listed.get(next), entries.next())
                        : unlistedFile(unlisted.get(next - listed.size()));
                batch.add(pending);
                batchBytes += pending.entry == null ? 0 : pending.entry.size();
                next++;
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        InvoiceRecord[] records = new InvoiceRecord[batch.size()];
        checks.forEach(records.length, i -> records[i] = resolved(batch.get(i)));
        return new ArrayList<>(java.util.Arrays.asList(records));
    }

    private Pending listedInvoice(String ksefNumber, MetadataEntries.Listed listing) {
        if (ksefNumber == null) {
            return new Pending("unnumbered-" + next, listing, null, "its " + InvoicePackageMetadata.FILE_NAME + " entry has no ksefNumber");
        }
        PackageArchive.Entry entry = archive.entry(ksefNumber + ".xml");
        if (entry == null) {
            return new Pending(ksefNumber, listing, null, "listed in _metadata.json but missing from the archive");
        }
        return admitted(new Pending(ksefNumber, listing, entry, entry.problem()));
    }

    private Pending unlistedFile(PackageArchive.Entry entry) {
        String name = entry.name();
        String baseName = name.substring(Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\')) + 1);
        String ksefNumber = baseName.endsWith(".xml") ? baseName.substring(0, baseName.length() - 4) : baseName;
        String problem = !baseName.equals(name) ? "entry name with a path in the archive: " + name.replaceAll("[^\\x20-\\x7e]", "?")
                : entry.problem() != null ? entry.problem() : "in the archive but not in _metadata.json";
        return admitted(new Pending(ksefNumber, null, entry, problem));
    }

    /**
     * The entry is read only within both caps, by the size the archive declares for it (the read is
     * held to that size, so what is counted here is what can be inflated); otherwise the record keeps no content.
     */
    private Pending admitted(Pending pending) {
        long size = pending.entry == null ? 0 : pending.entry.size();
        String refused = null;
        if (overPackageCap || size > maxPackageBytes - bytesAdmitted) {
            overPackageCap = true;
            refused = "package larger than " + maxPackageBytes + " bytes uncompressed: entry not read";
        } else if (size < 0 || size > maxEntryBytes) {
            refused = "entry larger than " + maxEntryBytes + " bytes";
        }
        if (refused == null) {
            bytesAdmitted += size;
            return pending;
        }
        return new Pending(pending.ksefNumber, pending.listing, null, pending.problem == null ? refused : pending.problem + "; " + refused);
    }

    /** Its metadata bound, then read, then (a listed invoice that reads) its hash against the metadata, then its XML. */
    private InvoiceRecord resolved(Pending pending) {
        InvoiceMetadata metadata = null;
        String problem = pending.problem;
        if (pending.listing != null) {
            MetadataEntries.Entry listed = pending.listing.bind();
            metadata = listed.metadata();
            problem = listed.problem() == null ? problem : listed.problem();
        }
        if (pending.entry == null) {
            return new InvoiceRecord(pending.ksefNumber, metadata, null, problem);
        }
        byte[] xml;
        try {
            xml = archive.read(pending.entry);
        } catch (IOException e) {
            String unreadable = "entry unreadable: " + e.getMessage();
            return new InvoiceRecord(pending.ksefNumber, metadata, null, problem == null ? unreadable : problem + "; " + unreadable);
        }
        if (problem != null || metadata == null) {
            return new InvoiceRecord(pending.ksefNumber, metadata, xml, problem);
        }
        if (!Sha256.base64(xml).equals(metadata.invoiceHash())) {
            return new InvoiceRecord(pending.ksefNumber, metadata, xml, "SHA-256 does not match invoiceHash");
        }
        return new InvoiceRecord(pending.ksefNumber, metadata, xml, xmlCheck.problem(xml));
    }

    /** An entry planned for a batch: its metadata listing (null: unlisted), what to read (null: nothing), any problem known. */
    private record Pending(String ksefNumber, MetadataEntries.Listed listing, PackageArchive.Entry entry, String problem) {
    }
}
