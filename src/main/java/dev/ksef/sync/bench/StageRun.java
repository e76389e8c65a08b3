package dev.ksef.sync.bench;

import dev.ksef.sync.api.InvoiceExportStatusResponse;
import dev.ksef.sync.api.InvoicePackage;
import dev.ksef.sync.api.InvoicePackagePart;
import dev.ksef.sync.api.StatusInfo;
import dev.ksef.sync.export.ExportRun;
import dev.ksef.sync.pkg.InvoiceRecord;
import dev.ksef.sync.pkg.PackageReader;
import dev.ksef.sync.pkg.PackageSpool;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.List;

/**
 * The CPU stages on parts from local disk, the way the bundle runs them: each part's size and hash checked while it
 * is decrypted into the spool, then the archive read entry by entry with metadata, per-invoice hash and XML checks.
 * Nothing is published; the invoices are counted.
 */
final class StageRun {

    private StageRun() {
    }

    /** Measured passes after the warm-up passes (JIT); the median wall time is reported, the peak heap over them all. */
    private static final int MEASURED_PASSES = 3;

    static void pipeline(int warmups, Path packageDir, Path work) throws Exception {
        measured("pipeline-stages", warmups, packageDir, () -> pipelinePass(packageDir, work));
    }

    static void baseline(int warmups, Path packageDir) throws Exception {
        measured("in-memory-baseline", warmups, packageDir, () -> baselinePass(packageDir));
    }

    /** One pass over the package; returns the invoices it read. */
    private interface Pass {
        long run() throws Exception;
    }

    private static void measured(String mode, int warmups, Path packageDir, Pass pass) throws Exception {
        for (int i = 0; i < warmups; i++) {
            pass.run();
        }
        Measure.resetPeaks();
        long[] walls = new long[MEASURED_PASSES];
        long invoices = 0;
        for (int i = 0; i < MEASURED_PASSES; i++) {
            long started = System.nanoTime();
            invoices = pass.run();
            walls[i] = System.nanoTime() - started;
        }
        Measure.report(mode, invoices, BenchPackage.load(packageDir).encryptedBytes(), median(walls));
    }

    private static long median(long[] values) {
        long[] sorted = values.clone();
        java.util.Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    /** The stages on the parts from disk (the part list read, decrypted into the spool, the archive read). */
    private static long pipelinePass(Path packageDir, Path work) throws Exception {
        BenchPackage pkg = BenchPackage.load(packageDir);
        ExportRun run = new ExportRun("Subject1", "bench", OffsetDateTime.now(), null, BenchPackage.key());
        run.referenceNumber = "bench-pipeline";
        run.status = new InvoiceExportStatusResponse(new StatusInfo(200, "ok", null), null, null,
                new InvoicePackage(pkg.invoiceCount, 0, pkg.parts, false, null, null, null, OffsetDateTime.now(), null));
        PackageSpool spool = new PackageSpool(work);
        PackageReader reader = new PackageReader(500, 52_428_800, Long.MAX_VALUE);
        spool.open(run);
        for (InvoicePackagePart part : pkg.parts) {
            try (InputStream in = Files.newInputStream(pkg.file(part))) {
                spool.appendPart(run, part, in);
            }
        }
        long invoices = 0;
        var batches = reader.batches(run);
        while (batches.hasNext()) {
            for (InvoiceRecord record : batches.next()) {
                if (!record.valid()) {
                    throw new IllegalStateException("benchmark package has a bad invoice: " + record);
                }
                invoices++;
            }
        }
        spool.discard(run, null);
        return invoices;
    }

    private static long baselinePass(Path packageDir) throws Exception {
        BenchPackage pkg = BenchPackage.load(packageDir);
        List<byte[]> encrypted = new java.util.ArrayList<>();
        for (InvoicePackagePart part : pkg.parts) {
            encrypted.add(Files.readAllBytes(pkg.file(part)));
        }
        return InMemoryBaseline.process(pkg.parts, encrypted, BenchPackage.key()).size();
    }
}
