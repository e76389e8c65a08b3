package dev.ksef.sync.pkg;

import dev.ksef.sync.api.InvoicePackageMetadata;
import dev.ksef.sync.export.ExportRun;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * Reads a spooled package archive ({@code Zip}, or {@code TarGz} told by its gzip magic bytes: {@link ZipArchive},
 * {@link TarGzArchive}) without holding it in memory: {@code _metadata.json} first, then each listed
 * {@code {ksefNumber}.xml} by random access, its SHA-256 checked against the metadata's {@code invoiceHash} and its
 * XML checked to be well-formed. Invoices come out in batches (the unit of one JMS transaction) in the metadata's
 * order; entries the metadata does not list (among them any name with a path: nothing is ever written out by name),
 * listed invoices the archive lacks, hash mismatches, malformed XML, entries that do not inflate, and entries over the
 * per-entry cap or past the package's total cap (zip bombs: sizes come from the central directory and every read is
 * held to its declared size, so an entry that inflates to more is refused) come out as records with a problem, for
 * quarantine. Batches are read ({@link PackageBatches}) one ahead of the consumer on a background thread
 * ({@link ReadAhead}, {@link PackageThreads}).
 */
public final class PackageReader {

    private final int batchSize;
    private final long maxEntryBytes;
    private final long maxPackageBytes;

    private final long maxBatchBytes;

    private final PackageThreads threads;

    /** Outside a Camel context (tests, benchmarks): {@link PackageThreads#standalone()}, batches of at most 16 MiB. */
    public PackageReader(int batchSize, long maxEntryBytes, long maxPackageBytes) {
        this(batchSize, maxEntryBytes, maxPackageBytes, 16L << 20, PackageThreads.standalone());
    }

    /** Outside a Camel context (tests, benchmarks): {@link PackageThreads#standalone()}. */
    public PackageReader(int batchSize, long maxEntryBytes, long maxPackageBytes, long maxBatchBytes) {
        this(batchSize, maxEntryBytes, maxPackageBytes, maxBatchBytes, PackageThreads.standalone());
    }

    /**
     * A batch ends at {@code batchSize} invoices or once it holds {@code maxBatchBytes} of them, whichever comes first;
     * the read-ahead runs on {@code threads.background()}, the checks on {@code threads.checks()}.
     */
    public PackageReader(int batchSize, long maxEntryBytes, long maxPackageBytes, long maxBatchBytes, PackageThreads threads) {
        this.batchSize = batchSize;
        this.maxEntryBytes = maxEntryBytes;
        this.maxPackageBytes = maxPackageBytes;
        this.maxBatchBytes = maxBatchBytes;
        this.threads = threads;
    }

    public Iterator<List<InvoiceRecord>> batches(ExportRun run) throws IOException {
        if (run.status.invoicePackage().parts().isEmpty()) {
            return Collections.emptyIterator();
        }
        PackageArchive archive = TarGzArchive.isGzip(run.spool) ? TarGzArchive.open(run.spool, maxEntryBytes, maxPackageBytes)
                : new ZipArchive(run.spool);
        if (archive.entry(InvoicePackageMetadata.FILE_NAME) == null) {
            archive.close();
            throw new PackageFormatException("package of export " + run.referenceNumber + " has no " + InvoicePackageMetadata.FILE_NAME);
        }
        List<String> listed;
        MetadataEntries entries;
        try (InputStream in = archive.metadata()) {
            listed = MetadataEntries.ksefNumbers(in);
            entries = new MetadataEntries(archive.metadata());
        } catch (IOException e) {
            archive.close();
            throw new PackageFormatException("package of export " + run.referenceNumber + " has an unreadable "
                    + InvoicePackageMetadata.FILE_NAME + ": " + e.getMessage());
        }
        Set<String> listedNames = new HashSet<>();
        listed.stream().filter(java.util.Objects::nonNull).forEach(n -> listedNames.add(n + ".xml"));
        List<PackageArchive.Entry> unlisted = new ArrayList<>();
        archive.entries().stream()
                .filter(e -> !e.name().equals(InvoicePackageMetadata.FILE_NAME) && (!listedNames.contains(e.name()) || archive.entry(e.name()) != e))
                .forEach(unlisted::add);
        PackageBatches batches = new PackageBatches(archive, entries, listed, unlisted,
                new PackageBatches.Limits(batchSize, maxBatchBytes, maxEntryBytes, maxPackageBytes), new ParallelChecks(threads));
        return new ReadAhead<>(batches, () -> {
            entries.close();
            archive.close();
        }, threads.background());
    }
}
