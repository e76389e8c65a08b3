package dev.ksef.sync.jms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ksef.sync.KsefConfigurationException;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which destination a subject type's invoices go to, and which of the two publishing paths takes it. */
class DestinationsTest {

    private final Map<String, String> settings = new HashMap<>(Map.of(
            "ksef.publish.Subject1", "jms:queue:ksef.invoices.subject1",
            "ksef.publish.Subject2", " kafka:ksef-invoices?brokers=a:9092,b:9092 ",
            "ksef.publish.invalid", "jms:queue:ksef.invoices.invalid"));
    private final Destinations destinations = new Destinations(key -> settings.getOrDefault(key, ""));

    @Test
    void theRoutesDestinationWinsThenTheQueueShorthandThenTheEndpointSetting() {
        assertEquals("seda:mine", destinations.uri("Subject1", " seda:mine "));
        assertEquals("jms:queue:ksef.invoices.subject1", destinations.uri("Subject1", ""));
        assertEquals("kafka:ksef-invoices?brokers=a:9092,b:9092", destinations.uri("Subject2", null));

        settings.put("ksef.queue.Subject2", "legacy.subject2");
        assertEquals("jms:queue:legacy.subject2", destinations.uri("Subject2", ""), "ksef.queue.<subjectType> is a JMS queue");
        assertEquals("legacy.subject2", destinations.queue("Subject2", ""));
        settings.put("ksef.queue.invalid", "legacy.invalid");
        assertEquals("jms:queue:legacy.invalid", destinations.uri("invalid", ""));
    }

    @Test
    void eachContextsInvoicesMayGoToADestinationOfItsOwn() {
        settings.put("ksef.publish.Subject2", "jms:queue:ksef.{nip}.purchases");
        assertEquals("jms:queue:ksef.5265877635.purchases", destinations.uri("Subject2", "", "5265877635"));
        settings.put("ksef.queue.Subject3", "ksef.{nip}.other");
        assertEquals("ksef.7740001454.other", destinations.queueOf(destinations.uri("Subject3", "", "7740001454")));
        assertEquals("jms:queue:ksef.invoices.subject1", destinations.uri("Subject1", "", "5265877635"), "no {nip}: shared by all");
        var e = assertThrows(KsefConfigurationException.class, () -> destinations.uri("Subject2", "", ""));
        assertTrue(e.getMessage().contains("names {nip}"), e.getMessage());
    }

    @Test
    void anUnsetDestinationNamesTheSetting() {
        var e = assertThrows(KsefConfigurationException.class, () -> destinations.uri("Subject3", ""));
        assertTrue(e.getMessage().startsWith("ksef.publish.Subject3 is not set"), e.getMessage());
    }

    @Test
    void jmsQueuesTakeTheJmsPathEverythingElseTheEndpointPath() {
        assertEquals("ksef.invoices.subject1", destinations.queueOf("jms:queue:ksef.invoices.subject1"));
        assertEquals("a.b", Destinations.jmsQueue("jms:a.b"));
        assertEquals("a.b", Destinations.jmsQueue("jms://queue:a.b"));
        assertNull(Destinations.jmsQueue("seda:ksef-test-subject1"));
        assertNull(Destinations.jmsQueue("kafka:ksef-invoices?brokers=localhost:9092"));
        assertNull(Destinations.jmsQueue("kamelet:kafka-sink?topic=x"));
        assertNull(Destinations.jmsQueue("activemq:queue:x"), "another component's JMS endpoint is an endpoint like any other");
    }

    @Test
    void jmsUrisTheJmsPathCannotHonourAreRefusedWithTheReason() {
        var options = assertThrows(KsefConfigurationException.class,
                () -> Destinations.jmsQueue("jms:queue:x?deliveryPersistent=false&password=hunter2"));
        assertTrue(options.getMessage().contains("takes no options"), options.getMessage());
        assertFalse(options.getMessage().contains("hunter2"), "a password in the URI is not repeated");
        var topic = assertThrows(KsefConfigurationException.class, () -> Destinations.jmsQueue("jms:topic:invoices"));
        assertTrue(topic.getMessage().contains("a jms: destination is a queue"), topic.getMessage());
        assertThrows(KsefConfigurationException.class, () -> Destinations.jmsQueue("jms:temp-queue:x"));
        assertThrows(KsefConfigurationException.class, () -> Destinations.jmsQueue("jms:queue:"));
        settings.put("ksef.publish.Subject1", "seda:elsewhere");
        var notJms = assertThrows(KsefConfigurationException.class, () -> destinations.queue("Subject1", ""));
        assertTrue(notJms.getMessage().contains("is not a JMS queue"), notJms.getMessage());
    }
}
