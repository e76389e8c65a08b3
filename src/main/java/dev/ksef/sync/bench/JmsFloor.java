package dev.ksef.sync.bench;

import dev.ksef.sync.export.ExportPlanner;
import dev.ksef.sync.export.ExportRun;
import dev.ksef.sync.app.Broker;
import dev.ksef.sync.jms.InvoicePublisher;
import dev.ksef.sync.pkg.InvoiceRecord;
import dev.ksef.sync.pkg.PackageSpool;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;

/**
 * The floor of publishing, to read the end-to-end figures against: the package's invoices, already read into
 * memory, put on the embedded broker by the bundle's own publisher (batches, one transaction each, persistent),
 * configured as the bundle configures it, nobody consuming. The first pass runs in a fresh JVM (cold); then the
 * median of three after the warm-ups. No download, no checks, no dedup, no keys stored: a run of the bundle that
 * publishes the same package can only be slower.
 */
final class JmsFloor {

    private static final int MEASURED_PASSES = 3;

    private JmsFloor() {
    }

    static void run(int warmups, Path packageDir, Path work) throws Exception {
        BenchPackage pkg = BenchPackage.load(packageDir);
        List<List<InvoiceRecord>> batches = batches(pkg, work);
        if (batches == null) {
            return;
        }
        Broker broker = new Broker(null, null, null, work, E2eRun.freePort()); // sized as the bundle sizes it by default
        broker.start();
        try (DefaultCamelContext context = new DefaultCamelContext()) {
            InvoicePublisher publisher = new InvoicePublisher(broker.connectionFactory(), "ksef.quarantine");
            Measure.resetPeaks();
            int passes = 1 + warmups + MEASURED_PASSES;
            long[] walls = new long[passes];
            long[] cpus = new long[passes];
            long invoices = 0;
            for (int pass = 0; pass < passes; pass++) {
                // a subject type of its own per pass: the broker would drop a second copy as a duplicate
                ExportRun run = new ExportRun("bench", "Subject1-" + pass, "bench", OffsetDateTime.now(), null, BenchPackage.key());
                run.referenceNumber = "bench-jms-" + pass;
                Exchange exchange = new DefaultExchange(context);
                exchange.setProperty(ExportPlanner.EXPORT, run);
                exchange.setProperty(ExportPlanner.QUEUE, "ksef.invoices.subject1");
                long cpu = Measure.processCpuNanos();
                long started = System.nanoTime();
                for (List<InvoiceRecord> batch : batches) {
                    publisher.publish(exchange, batch);
                }
                walls[pass] = System.nanoTime() - started;
                cpus[pass] = Measure.processCpuNanos() - cpu;
                invoices = run.published;
            }
            Measure.report("jms-publish floor (cold)", invoices, pkg.encryptedBytes(), walls[0], cpus[0]);
            int median = StageRun.medianIndex(java.util.Arrays.copyOfRange(walls, passes - MEASURED_PASSES, passes)) + passes - MEASURED_PASSES;
            Measure.report("jms-publish floor (warm)", invoices, pkg.encryptedBytes(), walls[median], cpus[median]);
        } finally {
            broker.stop();
        }
    }

    /**
     * The package's invoices read into memory in the bundle's batches (500), or null (with a result line saying so)
     * when they need more than a quarter of the heap.
     */
    static List<List<InvoiceRecord>> batches(BenchPackage pkg, Path work) throws Exception {
        PackageSpool spool = new PackageSpool(work.resolve("spool"));
        ExportRun read = StageRun.spooled(pkg, spool, "Subject1");
        List<List<InvoiceRecord>> batches = new ArrayList<>();
        long held = 0;
        for (var it = StageRun.reader().batches(read); it.hasNext(); ) {
            List<InvoiceRecord> batch = it.next();
            held += batch.stream().mapToLong(r -> r.xml().length).sum();
            if (held > Runtime.getRuntime().maxMemory() / 4) {
                System.out.println("BENCH mode=jms-publish_floor_left_out:_the_invoices_need_more_than_a_quarter_of_the_heap");
                spool.discard(read, null);
                return null;
            }
            batches.add(batch);
        }
        spool.discard(read, null);
        return batches;
    }
}
