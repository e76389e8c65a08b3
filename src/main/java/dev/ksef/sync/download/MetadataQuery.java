package dev.ksef.sync.download;

import dev.ksef.sync.api.InvoiceMetadata;
import dev.ksef.sync.api.KsefJson;
import dev.ksef.sync.api.QueryInvoicesMetadataResponse;
import dev.ksef.sync.auth.KsefSessions;
import dev.ksef.sync.export.ExportPlanner;
import java.io.IOException;
import java.time.OffsetDateTime;
import java.util.List;
import org.apache.camel.Exchange;

/**
 * The metadata query for the routes (bean {@code ksefMetadataQuery}, route {@code direct:ksef-metadata}): exchange
 * properties {@code ksefContextNip} (empty = ksef.nip), {@code ksefSubjectType}, {@code ksefMetadataFrom} and
 * {@code ksefMetadataTo} (optional: up to now) in; the invoices KSeF lists (a {@code List<InvoiceMetadata>},
 * ascending by permanent storage date, each once) out. Pages of {@code ksef.metadata.page-size} (at most 250).
 */
public final class MetadataQuery {

    public static final String LISTING = "ksefMetadataListing";
    public static final String FROM = "ksefMetadataFrom";
    public static final String TO = "ksefMetadataTo";
    static final List<String> SUBJECT_TYPES = List.of("Subject1", "Subject2", "Subject3", "SubjectAuthorized");

    private final int pageSize;

    public MetadataQuery(int pageSize) {
        if (pageSize < 10 || pageSize > 250) {
            throw new dev.ksef.sync.KsefConfigurationException("ksef.metadata.page-size must be from 10 to 250 (KSeF's page sizes), not " + pageSize);
        }
        this.pageSize = pageSize;
    }

    /** The query of the exchange's properties, checked (the session is begun after: its NIP is resolved then). */
    public void start(Exchange exchange) {
        if (exchange.getProperty(InvoiceDownload.OPERATION) == null) {
            exchange.setProperty(InvoiceDownload.OPERATION, "metadata");
        }
        String subjectType = exchange.getProperty(ExportPlanner.SUBJECT_TYPE, String.class);
        if (subjectType == null || !SUBJECT_TYPES.contains(subjectType.strip())) {
            throw new IllegalArgumentException("the subject type must be one of " + String.join(", ", SUBJECT_TYPES) + ", not '"
                    + KsefCallException.oneLine(String.valueOf(subjectType)) + "'");
        }
        OffsetDateTime from = exchange.getProperty(FROM, OffsetDateTime.class);
        OffsetDateTime to = exchange.getProperty(TO, OffsetDateTime.class);
        if (from == null) {
            throw new IllegalArgumentException("the metadata query needs a start (property " + FROM + ")");
        }
        if (to != null && to.isBefore(from)) {
            throw new IllegalArgumentException("the metadata query's end " + to + " is before its start " + from);
        }
        exchange.setProperty(LISTING, new MetadataListing(exchange.getProperty(KsefSessions.CONTEXT_NIP, "", String.class), subjectType.strip(),
                from, to, pageSize));
    }

    /** One page of KSeF's answer. */
    public void page(Exchange exchange, String json) throws IOException {
        exchange.getProperty(LISTING, MetadataListing.class).page(KsefJson.mapper().readValue(json, QueryInvoicesMetadataResponse.class));
    }

    /** Every invoice listed, once, ascending. */
    public List<InvoiceMetadata> invoices(Exchange exchange) {
        return exchange.getProperty(LISTING, MetadataListing.class).invoices();
    }

    /** Any failure, thrown again as one line naming the query. */
    public void failed(Exchange exchange) {
        MetadataListing listing = exchange.getProperty(LISTING, MetadataListing.class);
        String nip = exchange.getProperty(KsefSessions.CONTEXT_NIP, "", String.class);
        String what = listing != null ? "metadata query of " + nip + " " + listing.subjectType + " from " + listing.requestedFrom
                + (listing.to == null ? "" : " to " + listing.to) : "metadata query";
        throw KsefCallException.of(what, exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class));
    }
}
