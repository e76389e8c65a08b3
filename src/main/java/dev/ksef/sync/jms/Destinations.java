package dev.ksef.sync.jms;

import dev.ksef.sync.KsefConfigurationException;
import java.util.function.Function;

/**
 * Where the invoices of a subject type go: the route's {@code destination}, else {@code ksef.queue.<subjectType>} (a
 * JMS queue name, the shorthand of earlier versions) when set, else {@code ksef.publish.<subjectType>}, an endpoint
 * URI such as {@code jms:queue:ksef.invoices.subject1}. Quarantined invoices go to {@code ksef.queue.invalid} or
 * {@code ksef.publish.invalid} the same way.
 */
public final class Destinations {

    private final Function<String, String> settings;

    /** @param settings a setting's value, or "" when unset */
    public Destinations(Function<String, String> settings) {
        this.settings = settings;
    }

    /** The endpoint URI for {@code subjectType} ({@code invalid} for quarantine). */
    public String uri(String subjectType, String given) {
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

    /** The JMS queue of a {@code jms:} destination ({@code jms:queue:NAME} or {@code jms:NAME}). */
    public String queue(String subjectType, String given) {
        String uri = uri(subjectType, given);
        String name = jmsQueue(uri);
        if (name == null) {
            throw new KsefConfigurationException("destination of " + subjectType + " is not a JMS queue: " + uri);
        }
        return name;
    }

    /** The queue name of a {@code jms:} queue URI, or {@code null} when the URI is something else. */
    public static String jmsQueue(String uri) {
        if (!uri.startsWith("jms:") || uri.startsWith("jms:topic:") || uri.startsWith("jms:temp")) {
            return null;
        }
        String rest = uri.substring(4).replaceFirst("^//", "");
        if (rest.startsWith("queue:")) {
            rest = rest.substring(6).replaceFirst("^//", "");
        }
        int query = rest.indexOf('?');
        return query < 0 ? rest : rest.substring(0, query);
    }
}
