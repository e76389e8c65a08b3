package dev.ksef.sync.simulator;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * One context (a company's NIP) of the simulated KSeF: its KSeF token, its invoices and its exports. The corpus is made
 * (and its generated invoices added) on first use, so thousands of idle contexts cost a few hundred bytes each.
 */
final class SimContext {

    final String nip;
    final String ksefToken;
    private final long seed;
    private final Consumer<InvoiceCorpus> initialInvoices;
    private volatile InvoiceCorpus corpus;
    private final List<ExportJob> exports = new ArrayList<>();

    SimContext(String nip, String ksefToken, long seed, Consumer<InvoiceCorpus> initialInvoices) {
        this.nip = nip;
        this.ksefToken = ksefToken;
        this.seed = seed;
        this.initialInvoices = initialInvoices;
    }

    InvoiceCorpus corpus() {
        InvoiceCorpus made = corpus;
        if (made == null) {
            synchronized (this) {
                made = corpus;
                if (made == null) {
                    made = new InvoiceCorpus(nip, seed);
                    initialInvoices.accept(made);
                    corpus = made;
                }
            }
        }
        return made;
    }

    synchronized void addExport(ExportJob job) {
        exports.add(job);
    }

    /** How many exports of this context {@code counted} accepts (those still running, for the limit of 10). */
    synchronized long count(Predicate<ExportJob> counted) {
        return exports.stream().filter(counted).count();
    }

    synchronized List<ExportJob> exports() {
        return List.copyOf(exports);
    }
}
