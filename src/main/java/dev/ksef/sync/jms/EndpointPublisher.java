package dev.ksef.sync.jms;

import dev.ksef.sync.KsefConfigurationException;
import dev.ksef.sync.export.ExportPlanner;
import dev.ksef.sync.export.ExportRun;
import dev.ksef.sync.pkg.DeliveredInvoices;
import dev.ksef.sync.pkg.InvoiceRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangePattern;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.support.service.ServiceSupport;
import org.apache.camel.util.URISupport;

/**
 * Publishes to any destination that is not a {@code jms:} queue ({@code kafka:}, {@code seda:}, {@code direct:}, a
 * sink Kamelet, ...): one InOnly exchange per invoice, in package order, through the bundle's own ProducerTemplate
 * (started and stopped with the context). Body: the invoice XML bytes exactly as in the package; headers: the message
 * contract of {@link InvoiceMessage}, {@code ksefMessageId} the duplicate id a receiver drops repeats by. Quarantined
 * records go to {@code ksef.publish.invalid} the same way, or through {@link InvoicePublisher} when it is a JMS queue.
 *
 * <p>At least once: an invoice counts as delivered when its endpoint returned (what that means is the component's:
 * {@code seda:} returns once queued in memory unless {@code waitForTaskToComplete=Always}). The first failure ends the
 * batch and the run; the keys of the invoices the endpoint took before it are stored first, so the next run sends the
 * failed invoice and the rest, and repeats only what a crash cut off between an endpoint's return and its key.
 */
public final class EndpointPublisher extends ServiceSupport {

    /** Exchange property holding the run's destination URI. */
    public static final String DESTINATION_URI = "ksefDestinationUri";

    private final CamelContext context;
    private final DeliveredInvoices deliveredInvoices;
    private final String quarantineUri;
    private final InvoicePublisher jms;
    private volatile ProducerTemplate template;

    /** @param quarantineUri {@code ksef.publish.invalid}; @param jms publishes it when it is a {@code jms:} queue */
    public EndpointPublisher(CamelContext context, DeliveredInvoices deliveredInvoices, String quarantineUri, InvoicePublisher jms) {
        this.context = context;
        this.deliveredInvoices = deliveredInvoices;
        this.quarantineUri = quarantineUri;
        this.jms = jms;
    }

    @Override
    protected void doStart() {
        template = context.createProducerTemplate();
    }

    @Override
    protected void doStop() throws Exception {
        if (template != null) {
            template.stop();
        }
    }

    /** At the start of a run: the destination and the quarantine endpoint resolve (a missing component fails here, not mid-package). */
    public void check(String uri) {
        for (String u : List.of(uri, quarantineUri)) {
            if (Destinations.jmsQueue(u) == null) {
                endpoint(u);
            }
        }
    }

    /** The batch to the destination {@code ksefDestinationUri}, one exchange per invoice; quarantined records to quarantine. */
    public void publish(Exchange exchange, List<InvoiceRecord> batch) throws Exception {
        ExportRun run = exchange.getProperty(ExportPlanner.EXPORT, ExportRun.class);
        String uri = exchange.getProperty(DESTINATION_URI, String.class);
        jms.quarantine(exchange, batch);
        Endpoint invoices = endpoint(uri);
        List<InvoiceRecord> sent = new ArrayList<>(batch.size());
        try {
            for (InvoiceRecord record : batch) {
                if (record.valid()) {
                    send(invoices, record.xml(), InvoiceMessage.invoiceProperties(record, run), run, record);
                    sent.add(record);
                    run.published++;
                } else {
                    quarantine(run, record);
                }
            }
        } catch (Exception e) {
            try {
                deliveredInvoices.delivered(exchange, sent);
                deliveredInvoices.stored(exchange);
            } catch (Exception keys) {
                e.addSuppressed(keys);
            }
            throw e;
        }
    }

    /** Only the batch's quarantined records, when quarantine is not a JMS queue (the invoices went to a JMS queue). */
    public void quarantine(Exchange exchange, List<InvoiceRecord> batch) throws Exception {
        ExportRun run = exchange.getProperty(ExportPlanner.EXPORT, ExportRun.class);
        for (InvoiceRecord record : batch) {
            if (!record.valid()) {
                quarantine(run, record);
            }
        }
    }

    private void quarantine(ExportRun run, InvoiceRecord record) throws EndpointPublishException {
        if (Destinations.jmsQueue(quarantineUri) == null) {
            InvoiceMessage.logQuarantine(record, run);
            send(endpoint(quarantineUri), InvoiceMessage.quarantineBody(record), InvoiceMessage.quarantineProperties(record, run), run, record);
            run.quarantined++;
        }
    }

    private void send(Endpoint endpoint, byte[] body, Map<String, String> headers, ExportRun run, InvoiceRecord record)
            throws EndpointPublishException {
        Exchange result = template.send(endpoint, ExchangePattern.InOnly, e -> {
            e.getMessage().setBody(body);
            e.getMessage().getHeaders().putAll(headers);
        });
        if (result.getException() != null) {
            throw new EndpointPublishException(run.subjectType + ": invoice " + record.ksefNumber() + " of export " + run.referenceNumber
                    + " not taken by " + URISupport.sanitizeUri(endpoint.getEndpointUri()) + ": "
                    + String.valueOf(result.getException().getMessage()).replaceAll("\\p{Cntrl}+", " "), // one line
                    result.getException());
        }
    }

    private Endpoint endpoint(String uri) {
        Endpoint endpoint;
        try {
            endpoint = context.getEndpoint(uri);
        } catch (RuntimeException e) {
            throw new KsefConfigurationException("destination " + URISupport.sanitizeUri(uri) + " cannot be resolved: " + e.getMessage(), e);
        }
        if (endpoint == null) {
            throw new KsefConfigurationException("destination " + URISupport.sanitizeUri(uri) + ": no component for its scheme (add it to "
                    + "the host's classpath or registry)");
        }
        return endpoint;
    }

    /**
     * An endpoint refused an invoice: the run fails (not retried as a KSeF call would be; the next run sends it again).
     */
    public static final class EndpointPublishException extends Exception {
        EndpointPublishException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
