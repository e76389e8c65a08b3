package dev.ksef.sync.reconcile;

import dev.ksef.sync.api.InvoiceMetadata;
import dev.ksef.sync.auth.KsefSessions;
import dev.ksef.sync.crypto.Sha256;
import dev.ksef.sync.download.InvoiceDownload;
import dev.ksef.sync.download.KsefCallException;
import dev.ksef.sync.download.MetadataQuery;
import dev.ksef.sync.export.ExportPlanner;
import dev.ksef.sync.export.ExportRun;
import dev.ksef.sync.jms.Destinations;
import dev.ksef.sync.jms.EndpointPublisher;
import dev.ksef.sync.jms.InvoiceMessage;
import dev.ksef.sync.limits.RateBudgetExceededException;
import dev.ksef.sync.pkg.DeliveredInvoices;
import dev.ksef.sync.pkg.InvoiceRecord;
import dev.ksef.sync.pkg.InvoiceXmlCheck;
import dev.ksef.sync.store.ContinuationPoints;
import dev.ksef.sync.store.ReconcileLog;
import java.sql.SQLException;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.apache.camel.Exchange;
import org.apache.camel.http.base.HttpOperationFailedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The reconciliation's steps (bean {@code ksefReconciliation}, route {@code direct:ksef-reconcile}): the window is the
 * last {@code ksef.reconcile.days} days up to the pair's continuation point (what the sync has passed; never beyond,
 * and the point is never moved); KSeF's metadata query lists the window; each listed invoice whose delivered key is
 * missing is downloaded by number, checked (x-ms-meta-hash, the listing's invoiceHash, well-formed XML) and published
 * through the sync's own batch route with {@code ksefSource=reconciliation} and the normal delivered key, so that no
 * later export or reconciliation delivers it again. One log line per pair, a {@code reconcile_run} row, the meters.
 */
public final class Reconciliation {

    public static final String RUN = "ksefReconcile";
    /** Exchange property: days back from now (else {@code ksef.reconcile.days}). */
    public static final String DAYS = "ksefReconcileDays";
    static final String LISTING = "ksefReconcileListing";
    private static final Logger LOG = LoggerFactory.getLogger("dev.ksef.sync.reconcile");

    private final ContinuationPoints continuationPoints;
    private final DeliveredInvoices deliveredInvoices;
    private final ReconcileLog log;
    private final Destinations destinations;
    private final int days;
    private final Clock clock;
    private final Consumer<ReconcileRun> observer;
    private final InvoiceXmlCheck xmlCheck = new InvoiceXmlCheck();

    public Reconciliation(ContinuationPoints continuationPoints, DeliveredInvoices deliveredInvoices, ReconcileLog log, Destinations destinations,
                          int days, Clock clock, Consumer<ReconcileRun> observer) {
        this.continuationPoints = continuationPoints;
        this.deliveredInvoices = deliveredInvoices;
        this.log = log;
        this.destinations = destinations;
        this.days = days;
        this.clock = clock;
        this.observer = observer;
    }

    /** The pair's window (its session begun, its fence held), its destination, and the run its invoices go out under. */
    public void begin(Exchange exchange) {
        String nip = exchange.getProperty(KsefSessions.CONTEXT_NIP, String.class);
        String subjectType = exchange.getProperty(ExportPlanner.SUBJECT_TYPE, String.class);
        ReconcileRun run = new ReconcileRun(nip, subjectType, clock.instant());
        exchange.setProperty(RUN, run);
        OffsetDateTime now = OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC);
        int back = exchange.getProperty(DAYS, days, Integer.class);
        run.from = now.minusDays(back).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        OffsetDateTime point = continuationPoints.stored(nip, subjectType).orElse(null);
        if (point == null) {
            run.skipped = "never synced: nothing to compare";
            return;
        }
        run.to = point.isAfter(now) ? now : point.withOffsetSameInstant(ZoneOffset.UTC);
        if (!run.to.isAfter(run.from)) {
            run.skipped = "the continuation point " + point + " is older than the window of " + back + " days: the sync is behind";
            return;
        }
        exchange.setProperty(MetadataQuery.FROM, run.from);
        exchange.setProperty(MetadataQuery.TO, run.to);
        String uri = destinations.uri(subjectType, exchange.getProperty("ksefDestination", "", String.class), nip);
        String queue = Destinations.jmsQueue(uri);
        exchange.setProperty(EndpointPublisher.DESTINATION_URI, uri);
        exchange.setProperty(ExportPlanner.QUEUE, queue);
        run.publishing = new ExportRun(nip, subjectType, queue, run.from, run.to, null);
        run.publishing.source = "reconciliation";
        exchange.setProperty(ExportPlanner.EXPORT, run.publishing);
    }

    /** The listed invoices whose delivered key is missing, in KSeF's order. */
    public List<InvoiceMetadata> missing(Exchange exchange, List<InvoiceMetadata> listed) throws SQLException {
        ReconcileRun run = exchange.getProperty(RUN, ReconcileRun.class);
        List<String> keys = listed.stream().map(m -> InvoiceMessage.deliveredKey(run.nip, run.subjectType, m.ksefNumber())).toList();
        Set<String> delivered = deliveredInvoices.deliveredAmong(keys);
        List<InvoiceMetadata> missing = new ArrayList<>();
        for (int i = 0; i < listed.size(); i++) {
            if (!delivered.contains(keys.get(i))) {
                missing.add(listed.get(i));
            }
        }
        run.listed = listed.size();
        run.missing = missing.size();
        return missing;
    }

    /** Before the download of one missing invoice (the split's body): its number and listing as properties. */
    public void next(Exchange exchange, InvoiceMetadata listing) {
        exchange.setProperty(InvoiceDownload.KSEF_NUMBER, listing.ksefNumber());
        exchange.setProperty(LISTING, listing);
    }

    /** The downloaded XML as the one record of a batch: valid, or with the reason it goes to quarantine. */
    public List<InvoiceRecord> record(Exchange exchange, byte[] xml) {
        InvoiceMetadata listing = exchange.getProperty(LISTING, InvoiceMetadata.class);
        String problem = null;
        String hash = Sha256.base64(xml);
        if (listing.invoiceHash() != null && !listing.invoiceHash().equals(hash)) {
            problem = "the SHA-256 of the XML downloaded by KSeF number (" + hash + ") differs from the metadata query's invoiceHash ("
                    + listing.invoiceHash() + ")";
        } else {
            problem = xmlCheck.problem(xml);
        }
        return List.of(new InvoiceRecord(listing.ksefNumber(), listing, xml, problem));
    }

    /** After the batch route: delivered now, quarantined with its reason, or delivered meanwhile by a sync (nothing left). */
    public void published(Exchange exchange, List<InvoiceRecord> sent) {
        ReconcileRun run = exchange.getProperty(RUN, ReconcileRun.class);
        InvoiceMetadata listing = exchange.getProperty(LISTING, InvoiceMetadata.class);
        if (sent.isEmpty()) {
            run.invoices.add(new ReconcileRun.Invoice(listing.ksefNumber(), "DELIVERED_MEANWHILE", null));
        } else if (sent.get(0).valid()) {
            run.healed++;
            run.invoices.add(new ReconcileRun.Invoice(listing.ksefNumber(), "DELIVERED", null));
            LOG.warn("{} {}: invoice {} (stored {}) was listed by KSeF but never delivered: delivered now with ksefSource=reconciliation",
                    run.nip, run.subjectType, listing.ksefNumber(), listing.permanentStorageDate());
        } else {
            run.quarantined++;
            run.invoices.add(new ReconcileRun.Invoice(listing.ksefNumber(), "QUARANTINED", sent.get(0).problem()));
        }
    }

    /** One missing invoice could not be downloaded or published: the next reconciliation tries it again. */
    public void invoiceFailed(Exchange exchange) {
        ReconcileRun run = exchange.getProperty(RUN, ReconcileRun.class);
        String number = exchange.getProperty(InvoiceDownload.KSEF_NUMBER, String.class);
        String reason = KsefCallException.describe(exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class));
        run.failed++;
        run.invoices.add(new ReconcileRun.Invoice(number, "FAILED", reason));
        LOG.warn("{} {}: invoice {} listed by KSeF but never delivered could not be delivered now: {}", run.nip, run.subjectType, number, reason);
    }

    /** The pair compared (or nothing to compare): stored, logged, counted. */
    public void finished(Exchange exchange) {
        ReconcileRun run = exchange.getProperty(RUN, ReconcileRun.class);
        run.result = run.skipped != null ? "SKIPPED" : run.failed > 0 ? "PARTIAL" : "DONE";
        end(run);
    }

    /** The pair's run was in progress elsewhere: nothing done now. */
    public void skipped(Exchange exchange) {
        ReconcileRun run = new ReconcileRun(exchange.getProperty(KsefSessions.CONTEXT_NIP, String.class),
                exchange.getProperty(ExportPlanner.SUBJECT_TYPE, String.class), clock.instant());
        run.skipped = "a run of this context and subject type is in progress";
        run.result = "SKIPPED";
        exchange.setProperty(RUN, run);
        end(run);
    }

    /** KSeF's list could not be read (or the pair not begun): stored, logged, and thrown again as one line. */
    public void failed(Exchange exchange) {
        Exception cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        ReconcileRun run = exchange.getProperty(RUN, ReconcileRun.class);
        if (run == null) {
            run = new ReconcileRun(exchange.getProperty(KsefSessions.CONTEXT_NIP, "", String.class),
                    exchange.getProperty(ExportPlanner.SUBJECT_TYPE, String.class), clock.instant());
            exchange.setProperty(RUN, run);
        }
        run.result = rateLimited(cause) ? "RATE_LIMITED" : "FAILED";
        run.failure = KsefCallException.describe(cause);
        end(run);
        throw KsefCallException.of("reconciliation of " + run.nip + " " + run.subjectType, cause);
    }

    private void end(ReconcileRun run) {
        try {
            log.store(run, clock.instant());
        } catch (RuntimeException e) {
            LOG.warn("{} {}: the reconciliation's outcome could not be stored: {}", run.nip, run.subjectType, e.getMessage());
        }
        if ("DONE".equals(run.result) || "SKIPPED".equals(run.result)) {
            LOG.info(run.line());
        } else {
            LOG.warn(run.line());
        }
        observer.accept(run);
    }

    private static boolean rateLimited(Throwable cause) {
        for (Throwable t = cause; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof RateBudgetExceededException || t instanceof HttpOperationFailedException http && http.getStatusCode() == 429) {
                return true;
            }
        }
        return false;
    }

    /** The outcome per reconciled pair as {@code status} shows it ({@link ReconcileLog#latest}). */
    public Map<String, Object> latest(String nip, String subjectType) {
        return log.latest(nip, subjectType);
    }
}
