package dev.ksef.sync.jms;

import dev.ksef.sync.KsefConfigurationException;
import java.util.function.Function;
import org.apache.camel.util.URISupport;

/**
 * Where the invoices of a subject type go: the route's {@code destination}, else {@code ksef.queue.<subjectType>} (a
 * JMS queue name, the shorthand of earlier versions) when set, else {@code ksef.publish.<subjectType>}, an endpoint
 * URI such as {@code jms:queue:ksef.invoices.subject1}. Quarantined invoices go to {@code ksef.queue.invalid} or
 * {@code ksef.publish.invalid} the same way.
 *
 * <p>Two kinds of destination: a {@code jms:} queue ({@code jms:queue:NAME} or {@code jms:NAME}) is published by
 * {@link InvoicePublisher} with the JMS API through the host's ConnectionFactory, a transaction per batch; it takes no
 * URI options (refused with the reason). Any other URI is a Camel endpoint published by {@link EndpointPublisher}, one
 * exchange per invoice.
 */
public final class Destinations {

    private final Function<String, String> settings;

    /** @param settings a setting's value, or "" when unset */
    public Destinations(Function<String, String> settings) {
        this.settings = settings;
    }

    /** The endpoint URI for {@code subjectType} ({@code invalid} for quarantine). */
    public String uri(String subjectType, String given) {
        return uri(subjectType, given, "");
    }

    /**
     * The endpoint URI for {@code subjectType} of the context {@code nip}: {@code {nip}} in the configured URI (or
     * queue name) becomes the context's NIP, so each client's invoices may go to a destination of its own.
     */
    public String uri(String subjectType, String given, String nip) {
        String uri = configured(subjectType, given);
        if (uri.contains("{nip}")) {
            if (nip == null || nip.isBlank()) {
                throw new KsefConfigurationException("the destination of " + subjectType + " names {nip}, but the run has no context NIP");
            }
            return uri.replace("{nip}", nip.strip());
        }
        return uri;
    }

    private String configured(String subjectType, String given) {
        if (given != null && !given.isBlank()) {
            return given.strip();
        }
        String queue = settings.apply("ksef.queue." + subjectType);
        if (queue != null && !queue.isBlank()) {
            return "jms:queue:" + queue.strip();
        }
        String uri = settings.apply("ksef.publish." + subjectType);
        if (uri == null || uri.isBlank()) {
            throw new KsefConfigurationException("ksef.publish." + subjectType + " is not set: give the endpoint URI its invoices go to "
                    + "(e.g. jms:queue:ksef.invoices." + subjectType.toLowerCase() + ")");
        }
        return uri.strip();
    }

    /** The JMS queue of a {@code jms:} destination; a configuration error for any other destination. */
    public String queue(String subjectType, String given) {
        String uri = uri(subjectType, given);
        String name = jmsQueue(uri);
        if (name == null) {
            throw new KsefConfigurationException("destination of " + subjectType + " is not a JMS queue: " + URISupport.sanitizeUri(uri));
        }
        return name;
    }

    /** {@link #jmsQueue(String)} as a bean method of the routes. */
    public String queueOf(String uri) {
        return jmsQueue(uri);
    }

    /**
     * The queue name of a {@code jms:} queue URI, or {@code null} when the URI is another endpoint. A {@code jms:} URI
     * that is not a plain queue (a topic, a temporary destination, options) is a configuration error: the bundle does not
     * go through camel-jms for it, so options would be ignored silently.
     */
    public static String jmsQueue(String uri) {
        if (!uri.startsWith("jms:")) {
            return null;
        }
        String rest = uri.substring(4).replaceFirst("^//", "");
        if (rest.startsWith("topic:") || rest.startsWith("temp-queue:") || rest.startsWith("temp-topic:")) {
            throw new KsefConfigurationException("destination " + URISupport.sanitizeUri(uri) + ": a jms: destination is a queue "
                    + "(jms:queue:NAME); for a topic give another component's endpoint (e.g. a host's camel-jms component under another name)");
        }
        if (rest.startsWith("queue:")) {
            rest = rest.substring(6).replaceFirst("^//", "");
        }
        if (rest.indexOf('?') >= 0) {
            throw new KsefConfigurationException("destination " + URISupport.sanitizeUri(uri) + ": jms:queue:NAME takes no options: the "
                    + "bundle sends persistent messages, one transaction per batch, with the JMS API through the host's ConnectionFactory "
                    + "(ksef.jms.connection-factory names it when there are several)");
        }
        if (rest.isBlank()) {
            throw new KsefConfigurationException("destination " + uri + " names no queue (jms:queue:NAME)");
        }
        return rest;
    }
}
