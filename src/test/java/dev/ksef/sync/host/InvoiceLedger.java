package dev.ksef.sync.host;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.camel.Exchange;

/**
 * The platform's generic endpoint in the embedding tests: what a downstream system received, by KSeF number, across
 * restarts of the host (the ledger outlives a CamelContext in this JVM).
 */
public final class InvoiceLedger {

    static final Map<String, List<Map<String, Object>>> RECEIVED = new ConcurrentHashMap<>();

    public void record(Exchange exchange) {
        byte[] body = exchange.getMessage().getBody(byte[].class);
        Map<String, Object> headers = new java.util.HashMap<>(exchange.getMessage().getHeaders());
        headers.put("bodyLength", body == null ? -1 : body.length);
        RECEIVED.computeIfAbsent(exchange.getMessage().getHeader("ksefNumber", String.class), k -> new CopyOnWriteArrayList<>()).add(headers);
    }
}
