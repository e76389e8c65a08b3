package dev.ksef.sync.pkg;

import dev.ksef.sync.api.InvoicePackagePart;
import dev.ksef.sync.crypto.AesCbcStream;
import dev.ksef.sync.crypto.KsefCryptoException;
import dev.ksef.sync.export.ExportRun;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.Executor;

/**
 * The one spool file per export under {@code <data-dir>/spool}: each part is streamed through AES-256-CBC and
 * appended, with its encrypted size and hash and its plain size and hash checked on the way. A part that fails a
 * check is cut off again, so the spool always holds whole, verified parts, and never the package in memory.
 */
public final class PackageSpool {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger("dev.ksef.sync.package");

    private final Path directory;
    private final Executor output;

    /** Outside a Camel context (tests, benchmarks): the output side of decryption on {@link PackageThreads#standalone()}. */
    public PackageSpool(Path directory) {
        this(directory, PackageThreads.standalone().background());
    }

    /**
     * @param directory where the spool files live (private: they hold decrypted invoices)
     * @param output runs the output side (hash, write) of each part's decryption
     */
    public PackageSpool(Path directory, Executor output) {
        this.directory = directory;
        this.output = output;
    }

    public void open(ExportRun run) throws IOException {
        Files.createDirectories(directory);
        run.spool = directory.resolve(run.referenceNumber + ".zip");
        Files.deleteIfExists(run.spool);
        // a process stopped while it read a TarGz package of this export left its side file behind
        try (var stale = Files.newDirectoryStream(directory, run.spool.getFileName() + ".*" + TarGzArchive.SIDE_FILE_SUFFIX)) {
            for (Path side : stale) {
                Files.deleteIfExists(side);
            }
        }
        Files.createFile(run.spool);
    }

    public void appendPart(ExportRun run, InvoicePackagePart part, InputStream encrypted) throws IOException {
        long before = Files.size(run.spool);
        AesCbcStream.Transfer transfer;
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(run.spool, StandardOpenOption.APPEND), 1 << 16)) {
            transfer = AesCbcStream.decrypt(encrypted, out, run.encryption.secretKey(), run.encryption.iv(), output);
        } catch (KsefCryptoException e) {
            cut(run.spool, before);
            throw new PartIntegrityException(describe(run, part) + " does not decrypt (not the encrypted part?): " + e.getMessage(), e);
        } finally {
            encrypted.close();
        }
        String problem = transfer.encryptedSize() != part.encryptedPartSize() ? "encrypted size " + transfer.encryptedSize() + " != " + part.encryptedPartSize()
                : !transfer.encryptedHash().equals(part.encryptedPartHash()) ? "encryptedPartHash mismatch"
                : transfer.plainSize() != part.partSize() ? "size " + transfer.plainSize() + " != partSize " + part.partSize()
                : !transfer.plainHash().equals(part.partHash()) ? "partHash mismatch" : null;
        if (problem != null) {
            cut(run.spool, before);
            throw new PartIntegrityException(describe(run, part) + ": " + problem);
        }
    }

    /**
     * The export is over (delivered or failed): the spool file goes, except an archive that could not be read
     * ({@link PackageFormatException}), which is kept under {@code <data-dir>/quarantine} for a look.
     */
    public void discard(ExportRun run, Exception failure) throws IOException {
        if (run == null || run.spool == null || !Files.exists(run.spool)) {
            return;
        }
        if (failure instanceof PackageFormatException) {
            Path kept = Files.createDirectories(directory.resolveSibling("quarantine")).resolve(run.spool.getFileName());
            Files.move(run.spool, kept, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            LOG.error("{}: the package of export {} is kept as {}: {}", run.subjectType, run.referenceNumber, kept, failure.getMessage());
        } else {
            Files.deleteIfExists(run.spool);
        }
    }

    private static String describe(ExportRun run, InvoicePackagePart part) {
        return "part " + part.ordinalNumber() + " (" + part.partName() + ") of export " + run.referenceNumber;
    }

    private static void cut(Path spool, long length) throws IOException {
        try (FileChannel channel = FileChannel.open(spool, StandardOpenOption.WRITE)) {
            channel.truncate(length);
        }
    }
}
