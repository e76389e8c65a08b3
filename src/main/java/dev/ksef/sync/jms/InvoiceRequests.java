package dev.ksef.sync.jms;

import dev.ksef.sync.auth.KsefSessions;
import dev.ksef.sync.download.InvoiceDownload;
import dev.ksef.sync.download.InvoiceRequest;
import dev.ksef.sync.download.KsefCallException;
import dev.ksef.sync.export.ExportPlanner;
import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import java.util.Collections;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ExtendedStartupListener;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The request queue ({@code ksef.requests.queue}; empty = off): one consumer, through the host's ConnectionFactory, in a
 * JMS transaction per request. A message with the string property {@code ksefNumber} (and optionally
 * {@code ksefContextNip}, {@code ksefSubjectType}) is served by {@code direct:ksef-request}: the invoice downloaded by
 * number, verified and published again to its subject type's destination with {@code ksefSource=request}. A request
 * that cannot be served is moved, in the same transaction, to {@code ksef.requests.failed-queue} with its properties
 * and the reason in {@code ksefRequestFailure}; when even that fails the transaction rolls back and the broker delivers
 * the request again (Artemis: to its dead-letter queue after its attempts). A request is never lost.
 */
public final class InvoiceRequests extends ServiceSupport implements ExtendedStartupListener {

    /** Property of a failed request: why it was not served. */
    public static final String FAILURE = "ksefRequestFailure";
    private static final Logger LOG = LoggerFactory.getLogger("dev.ksef.sync.requests");

    private final CamelContext context;
    private final Supplier<ConnectionFactory> connectionFactory;
    private final String queue;
    private final String failedQueue;
    private final long reconnectDelayMillis;
    private volatile boolean running;
    private volatile ExecutorService consumer;
    private volatile ProducerTemplate template;

    /** @param queue the request queue (empty: off); @param failedQueue where a request that cannot be served goes */
    public InvoiceRequests(CamelContext context, Supplier<ConnectionFactory> connectionFactory, String queue, String failedQueue,
                           long reconnectDelayMillis) {
        this.context = context;
        this.connectionFactory = connectionFactory;
        this.queue = queue == null ? "" : queue.strip();
        this.failedQueue = failedQueue == null ? "" : failedQueue.strip();
        this.reconnectDelayMillis = reconnectDelayMillis;
    }

    public boolean enabled() {
        return !queue.isEmpty();
    }

    @Override
    public void onCamelContextStarted(CamelContext context, boolean alreadyStarted) {
    }

    /** Requests are taken once every route runs (a request before would find no consumer of the request route). */
    @Override
    public synchronized void onCamelContextFullyStarted(CamelContext camel, boolean alreadyStarted) {
        if (!enabled() || consumer != null) {
            return;
        }
        running = true;
        template = context.createProducerTemplate();
        consumer = context.getExecutorServiceManager().newSingleThreadExecutor(this, "ksef-requests");
        consumer.execute(this::consume);
        LOG.info("Taking invoice requests from queue {} (failed requests to {})", queue, failedQueue);
    }

    /** Stops taking requests as soon as the context begins to stop, while the broker and the routes still run. */
    public org.apache.camel.spi.EventNotifier stopper() {
        return new org.apache.camel.support.SimpleEventNotifierSupport() {
            @Override
            public boolean isEnabled(org.apache.camel.spi.CamelEvent event) {
                return event instanceof org.apache.camel.spi.CamelEvent.CamelContextStoppingEvent;
            }

            @Override
            public void notify(org.apache.camel.spi.CamelEvent event) throws Exception {
                InvoiceRequests.this.stop();
            }
        };
    }

    @Override
    protected synchronized void doStop() throws Exception {
        running = false;
        if (consumer != null) {
            // a request being served finishes (or rolls back) first
            context.getExecutorServiceManager().shutdownGraceful(consumer, TimeUnit.MINUTES.toMillis(1));
            consumer = null;
        }
        if (template != null) {
            template.stop();
            template = null;
        }
    }

    private void consume() {
        while (running) {
            try (Connection connection = connectionFactory.get().createConnection();
                 Session session = connection.createSession(true, Session.SESSION_TRANSACTED);
                 MessageConsumer requests = session.createConsumer(session.createQueue(queue));
                 MessageProducer failed = session.createProducer(session.createQueue(failedQueue))) {
                failed.setDeliveryMode(DeliveryMode.PERSISTENT);
                connection.start();
                while (running) {
                    Message request = requests.receive(1000);
                    if (request != null) {
                        handle(session, failed, request);
                    }
                }
            } catch (JMSException | RuntimeException e) {
                if (running && !context.isStopping()) {
                    LOG.warn("Request queue {}: {}; connecting again in {} ms", queue, KsefCallException.oneLine(String.valueOf(e.getMessage())),
                            reconnectDelayMillis);
                    pause();
                }
            }
        }
    }

    /** One request in one transaction: served and consumed, or moved to the failed queue with the reason, or rolled back. */
    private void handle(Session session, MessageProducer failed, Message request) throws JMSException {
        String failure;
        try {
            serve(request);
            session.commit();
            return;
        } catch (JMSException | RuntimeException e) {
            failure = KsefCallException.describe(e);
        }
        if (!running) {
            session.rollback(); // stopping: the request waits for the next start
            return;
        }
        try {
            failed.send(failedCopy(session, request, failure));
            session.commit();
            LOG.warn("Request {} not served, moved to {}: {}", request.getJMSMessageID(), failedQueue, failure);
        } catch (JMSException | RuntimeException e) {
            LOG.warn("Request {} not served and not moved to {} ({}): the broker delivers it again", request.getJMSMessageID(), failedQueue,
                    KsefCallException.oneLine(String.valueOf(e.getMessage())));
            session.rollback();
        }
    }

    private void serve(Message request) throws JMSException {
        String number = request.getStringProperty(InvoiceDownload.KSEF_NUMBER);
        String nip = request.getStringProperty(KsefSessions.CONTEXT_NIP);
        String subjectType = request.getStringProperty(ExportPlanner.SUBJECT_TYPE);
        String id = request.getJMSMessageID();
        Exchange result = template.send("direct:ksef-request", e -> {
            e.setProperty(InvoiceDownload.KSEF_NUMBER, number);
            e.setProperty(KsefSessions.CONTEXT_NIP, nip == null ? "" : nip);
            e.setProperty(ExportPlanner.SUBJECT_TYPE, subjectType == null ? "" : subjectType);
            e.setProperty(InvoiceRequest.REQUEST_ID, id);
        });
        if (result.getException() != null) {
            throw KsefCallException.of("request " + id, result.getException());
        }
        LOG.info("Request {}: invoice {} published again to {} ({})", id, number, result.getProperty("ksefDestinationUri"),
                result.getProperty(ExportPlanner.SUBJECT_TYPE));
    }

    /** The request as it came (text body, its properties) with the reason it was not served. */
    private static Message failedCopy(Session session, Message request, String failure) throws JMSException {
        TextMessage copy = session.createTextMessage(request instanceof TextMessage text ? text.getText() : null);
        for (Object name : Collections.list(request.getPropertyNames())) {
            String n = name.toString();
            if (!n.startsWith("JMSX") && !n.startsWith("_AMQ")) {
                copy.setObjectProperty(n, request.getObjectProperty(n));
            }
        }
        copy.setStringProperty(FAILURE, failure);
        copy.setStringProperty(InvoiceRequest.REQUEST_ID, request.getJMSMessageID());
        return copy;
    }

    private void pause() {
        try {
            Thread.sleep(reconnectDelayMillis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }
}
