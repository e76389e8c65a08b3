package dev.ksef.sync.kamelet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ksef.sync.KsefConfigurationException;
import dev.ksef.sync.KsefSync;
import dev.ksef.sync.auth.KsefSession;
import java.time.Clock;
import java.time.Duration;
import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class KameletConnectionTest {

    private static final String NIP = "5265877635";

    private CamelContext context;
    private KsefSync sync;

    @BeforeEach
    void bundle() throws Exception {
        context = new DefaultCamelContext();
        sync = new KsefSync();
        sync.setCamelContext(context);
        sync.bind();
        context.getRegistry().bind("ksefSync", sync);
    }

    @AfterEach
    void stop() throws Exception {
        context.close();
    }

    private KameletConnection connection(String baseUrl) {
        KameletConnection connection = new KameletConnection();
        connection.setCamelContext(context);
        connection.setNip(NIP);
        connection.setBaseUrl(baseUrl);
        connection.setKsefToken("a KSeF token");
        return connection;
    }

    @Test
    void connectsTheSessionOnceAndAgainIsANoOp() {
        KameletConnection connection = connection("http://127.0.0.1:8081/v2");
        connection.connect();
        connection.connect();
        assertEquals(java.util.List.of(NIP), sync.sessions().connectedNips());
        assertEquals("http://127.0.0.1:8081/v2", sync.sessions().of(NIP).context().baseUrl());
    }

    @Test
    void aSecondKameletForTheSameNipAtAnotherApiIsRefused() {
        connection("http://127.0.0.1:8081/v2").connect();
        KsefConfigurationException refused = assertThrows(KsefConfigurationException.class,
                () -> connection("http://127.0.0.1:9999/v2").connect());
        assertTrue(refused.getMessage().contains("NIP " + NIP + " is already synced at http://127.0.0.1:8081/v2"), refused.getMessage());
        assertEquals("http://127.0.0.1:8081/v2", sync.sessions().of(NIP).context().baseUrl());
    }
}
