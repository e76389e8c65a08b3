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
        long[] cpus = new long[MEASURED_PASSES];
        long invoices = 0;
        for (int i = 0; i < MEASURED_PASSES; i++) {
            long cpu = Measure.processCpuNanos();
            long started = System.nanoTime();
            invoices = pass.run();
            walls[i] = System.nanoTime() - started;
            cpus[i] = Measure.processCpuNanos() - cpu;
        }
        int median = medianIndex(walls);
        Measure.report(mode, invoices, BenchPackage.load(packageDir).encryptedBytes(), walls[median], cpus[median]);
    }

    /** Index of the median of {@code values} (the upper one of an even count). */
    static int medianIndex(long[] values) {
        Integer[] order = new Integer[values.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        java.util.Arrays.sort(order, java.util.Comparator.comparingLong(i -> values[i]));
        return order[values.length / 2];
    }

    /** The stages on the parts from disk (the part list read, decrypted into the spool, the archive read). */
    private static long pipelinePass(Path packageDir, Path work) throws Exception {
        BenchPackage pkg = BenchPackage.load(packageDir);
        PackageSpool spool = new PackageSpool(work.resolve("spool"));
        ExportRun run = spooled(pkg, spool, "Subject1");
        long invoices = 0;
        var batches = reader().batches(run);
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

    /** An export of {@code pkg} for {@code subjectType} whose parts are checked and decrypted into {@code spool}. */
    static ExportRun spooled(BenchPackage pkg, PackageSpool spool, String subjectType) throws Exception {
        ExportRun run = new ExportRun("bench", subjectType, "bench", OffsetDateTime.now(), null, BenchPackage.key());
        run.referenceNumber = "bench-" + subjectType;
        run.status = new InvoiceExportStatusResponse(new StatusInfo(200, "ok", null), null, null,
                new InvoicePackage(pkg.invoiceCount, 0, pkg.parts, false, null, null, null, OffsetDateTime.now(), null));
        spool.open(run);
        for (InvoicePackagePart part : pkg.parts) {
            try (InputStream in = Files.newInputStream(pkg.file(part))) {
                spool.appendPart(run, part, in);
            }
        }
        return run;
    }

    /** The package reader as the bundle configures it by default (batches of 500 or 16 MiB, entries up to 50 MiB). */
    static PackageReader reader() {
        return new PackageReader(500, 52_428_800, Long.MAX_VALUE, 16L << 20);
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
