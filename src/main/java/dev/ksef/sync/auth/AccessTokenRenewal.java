package dev.ksef.sync.auth;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.ProducerTemplate;

/**
 * Before a KSeF call that got 401 is tried again: the access token is dropped, the session route renews it (refresh,
 * or a new login when the refresh is refused), and the retried call carries the new bearer.
 */
public final class AccessTokenRenewal implements Processor {

    private final KsefSessions sessions;
    private ProducerTemplate template;

    public AccessTokenRenewal(KsefSessions sessions) {
        this.sessions = sessions;
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        KsefSession session = sessions.of(exchange);
        session.accessTokenRejected();
        if (template == null) {
            template = exchange.getContext().createProducerTemplate();
        }
        Exchange renewal = template.send("direct:ksef-access-token", e -> {
            e.setProperty("ksefSubjectType", exchange.getProperty("ksefSubjectType"));
            e.setProperty("ksefBaseUrl", exchange.getProperty("ksefBaseUrl"));
            e.setProperty(KsefSessions.CONTEXT_NIP, exchange.getProperty(KsefSessions.CONTEXT_NIP));
        });
        if (renewal.getException() != null) {
            throw renewal.getException();
        }
        exchange.getIn().setHeader("Authorization", session.accessBearer());
    }
}
