package dev.ksef.sync.app;

import jakarta.jms.ConnectionFactory;
import java.nio.file.Path;
import org.apache.activemq.artemis.core.config.impl.ConfigurationImpl;
import org.apache.activemq.artemis.core.server.JournalType;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.apache.activemq.artemis.core.settings.impl.AddressSettings;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.apache.camel.support.service.ServiceSupport;
import org.messaginghub.pooled.jms.JmsPoolConnectionFactory;

/**
 * The broker the invoices go to. With no broker URL an embedded Artemis starts in this process, persistent under
 * {@code <data-dir>/broker}, reachable in-VM by the sync and on 127.0.0.1:{@code port} by outside consumers;
 * otherwise the given broker is used. Either way the sync talks through a pooled JMS connection factory.
 */
public final class Broker extends ServiceSupport {

    private final String brokerUrl;
    private final String user;
    private final String password;
    private final Path directory;
    private final int port;
    // a sixteenth of the heap: the broker counts a message's encoded size, but its buffer can be twice that
    private long memoryBytes = Runtime.getRuntime().maxMemory() / 16;
    private int pageBytes = 1 << 20;
    private EmbeddedActiveMQ embedded;
    private JmsPoolConnectionFactory pool;

    public Broker(String brokerUrl, String user, String password, Path dataDir, int port) {
        this.brokerUrl = brokerUrl;
        this.user = user;
        this.password = password;
        this.directory = dataDir.resolve("broker");
        this.port = port;
    }

    /** Heap the embedded broker may fill with messages before it pages them to disk (default a sixteenth of the heap). */
    public Broker memoryBytes(long bytes) {
        this.memoryBytes = bytes;
        return this;
    }

    /** Size of the embedded broker's page files (default 1 MiB). */
    public Broker pageBytes(int bytes) {
        this.pageBytes = bytes;
        return this;
    }

    public boolean isEmbedded() {
        return brokerUrl == null || brokerUrl.isBlank();
    }

    /** Starts the embedded broker when there is one; the connection factory is usable after this. */
    @Override
    protected void doStart() throws Exception {
        String url = brokerUrl;
        if (isEmbedded()) {
            ConfigurationImpl config = new ConfigurationImpl();
            config.setName("ksef-camel-sync");
            config.setPersistenceEnabled(true);
            config.setSecurityEnabled(false);
            config.setJournalType(JournalType.NIO);
            config.setJournalDirectory(directory.resolve("journal").toString());
            config.setBindingsDirectory(directory.resolve("bindings").toString());
            config.setPagingDirectory(directory.resolve("paging").toString());
            config.setLargeMessagesDirectory(directory.resolve("large-messages").toString());
            // messages beyond this are paged to disk, so queues waiting for consumers do not fill the heap
            config.setGlobalMaxSize(memoryBytes);
            // the page being written is also held in memory: small pages keep a queue without consumers from filling
            // the heap (measured with -Xmx128m: 10 MiB pages kept the heap full, 1 MiB pages left about 15 MB free)
            config.addAddressSetting("#", new AddressSettings().setPageSizeBytes(pageBytes));
            config.addAcceptorConfiguration("in-vm", "vm://0");
            config.addAcceptorConfiguration("tcp", "tcp://127.0.0.1:" + port);
            embedded = new EmbeddedActiveMQ();
            embedded.setConfiguration(config);
            embedded.start();
            url = "vm://0";
        }
        pool = new JmsPoolConnectionFactory();
        ActiveMQConnectionFactory factory = new ActiveMQConnectionFactory(url, blankToNull(user), blankToNull(password));
        // destinations looked up by name once per session, not with a broker round trip on every send
        factory.setCacheDestinations(true);
        // credits for 1 MiB of messages per request instead of 64 KiB: a batch is not held up by a credit round trip
        // every few invoices (the broker still pages to disk when its memory is full)
        factory.setProducerWindowSize(1 << 20);
        pool.setConnectionFactory(factory);
        // one connection: the subject types' sessions share it (a new pooled connection per batch cost a broker handshake)
        pool.setMaxConnections(1);
    }

    /** Messages waiting on a queue of the embedded broker (-1 for an external broker or an unknown queue). */
    public long queueDepth(String queue) {
        if (embedded == null) {
            return -1;
        }
        var q = embeddedServer().locateQueue(org.apache.activemq.artemis.api.core.SimpleString.of(queue));
        return q == null ? -1 : q.getMessageCount();
    }

    /** The embedded broker's server (null for an external broker): for operations and tests. */
    public org.apache.activemq.artemis.core.server.ActiveMQServer embeddedServer() {
        return embedded == null ? null : embedded.getActiveMQServer();
    }

    public ConnectionFactory connectionFactory() {
        if (pool == null) {
            throw new IllegalStateException("broker not started");
        }
        return pool;
    }

    @Override
    protected void doStop() throws Exception {
        if (pool != null) {
            pool.stop();
        }
        if (embedded != null) {
            embedded.stop();
            embedded = null;
        }
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }
}
