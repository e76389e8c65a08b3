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

    /** One warm-up pass (JIT), then the measured pass. */
    static void pipeline(Path packageDir, Path work) throws Exception {
        pipelinePass(packageDir, work, false);
        pipelinePass(packageDir, work, true);
    }

    static void baseline(Path packageDir) throws Exception {
        baselinePass(packageDir, false);
        baselinePass(packageDir, true);
    }

    private static void pipelinePass(Path packageDir, Path work, boolean measured) throws Exception {
        BenchPackage pkg = BenchPackage.load(packageDir);
        ExportRun run = new ExportRun("Subject1", "bench", OffsetDateTime.now(), null, BenchPackage.key());
        run.referenceNumber = "bench-pipeline";
        run.status = new InvoiceExportStatusResponse(new StatusInfo(200, "ok", null), null, null,
                new InvoicePackage(pkg.invoiceCount, 0, pkg.parts, false, null, null, null, OffsetDateTime.now(), null));
        PackageSpool spool = new PackageSpool(work);
        PackageReader reader = new PackageReader(500, 52_428_800, Long.MAX_VALUE);
        Measure.resetPeaks();
        long started = System.nanoTime();
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
        long wall = System.nanoTime() - started;
        spool.discard(run, null);
        if (measured) {
            Measure.report("pipeline-stages", invoices, pkg.encryptedBytes(), wall);
        }
    }

    private static void baselinePass(Path packageDir, boolean measured) throws Exception {
        BenchPackage pkg = BenchPackage.load(packageDir);
        Measure.resetPeaks();
        long started = System.nanoTime();
        List<byte[]> encrypted = new java.util.ArrayList<>();
        for (InvoicePackagePart part : pkg.parts) {
            encrypted.add(Files.readAllBytes(pkg.file(part)));
        }
        var invoices = InMemoryBaseline.process(pkg.parts, encrypted, BenchPackage.key());
        long wall = System.nanoTime() - started;
        if (measured) {
            Measure.report("in-memory-baseline", invoices.size(), pkg.encryptedBytes(), wall);
        }
    }
}
