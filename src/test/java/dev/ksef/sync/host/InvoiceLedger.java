package dev.ksef.sync.host;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.camel.Exchange;

/**
 * The platform's generic endpoint in the embedding tests: a downstream system that keeps every reception, by KSeF
 * number, across restarts of the host (the ledger outlives a CamelContext in this JVM). A generic endpoint gets each
 * invoice at least once; a receiver makes it exactly once by dropping repeats of the same {@code ksefMessageId}, which
 * {@link #delivered()} does.
 */
public final class InvoiceLedger {

    static final Map<String, List<Map<String, Object>>> RECEIVED = new ConcurrentHashMap<>();

    /** KSeF number -> the duplicate id of its first reception: what the receiver kept. */
    static Map<String, String> delivered() {
        Map<String, String> kept = new java.util.TreeMap<>();
        RECEIVED.forEach((number, receptions) -> kept.put(number, String.valueOf(receptions.get(0).get("ksefMessageId"))));
        return kept;
    }

    public void record(Exchange exchange) {
        byte[] body = exchange.getMessage().getBody(byte[].class);
        Map<String, Object> headers = new java.util.HashMap<>(exchange.getMessage().getHeaders());
        headers.put("bodyLength", body == null ? -1 : body.length);
        RECEIVED.computeIfAbsent(exchange.getMessage().getHeader("ksefNumber", String.class), k -> new CopyOnWriteArrayList<>()).add(headers);
    }
}
