package dev.ksef.sync.app;

import jakarta.jms.ConnectionFactory;
import java.nio.file.Path;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.core.config.impl.ConfigurationImpl;
import org.apache.activemq.artemis.core.server.JournalType;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.apache.activemq.artemis.core.settings.impl.AddressSettings;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.apache.camel.support.service.ServiceSupport;
import org.messaginghub.pooled.jms.JmsPoolConnectionFactory;

/**
 * The broker the invoices go to. With no broker URL an embedded Artemis starts in this process, persistent under
 * {@code <data-dir>/broker}, reachable in-VM by the sync and on 127.0.0.1:{@code port} by outside consumers, every
 * connection logged in ({@link BrokerLogin}: {@code ksef.jms.user} / {@code ksef.jms.password}, or the password
 * generated into {@code <data-dir>/broker-credentials.properties}); a message delivered {@value #MAX_DELIVERY_ATTEMPTS}
 * times without success goes to a queue of the address {@value #DEAD_LETTER_ADDRESS}, an expired one to
 * {@value #EXPIRY_ADDRESS} (queues {@code DLQ.<queue>} and {@code EXP.<queue>}, made when first needed). Otherwise the
 * given broker is used. Either way the sync talks through a pooled JMS connection factory.
 */
public final class Broker extends ServiceSupport {

    public static final String DEAD_LETTER_ADDRESS = "ksef.dlq";
    public static final String EXPIRY_ADDRESS = "ksef.expiry";
    public static final int MAX_DELIVERY_ATTEMPTS = 10;

    private final String brokerUrl;
    private final String user;
    private final String password;
    private final Path dataDir;
    private final Path directory;
    private final int port;
    // a sixteenth of the heap: the broker counts a message's encoded size, but its buffer can be twice that
    private long memoryBytes = Runtime.getRuntime().maxMemory() / 16;
    private int pageBytes = 1 << 20;
    private EmbeddedActiveMQ embedded;
    private BrokerLogin login;
    private JmsPoolConnectionFactory pool;

    public Broker(String brokerUrl, String user, String password, Path dataDir, int port) {
        this.brokerUrl = brokerUrl;
        this.user = user;
        this.password = password;
        this.dataDir = dataDir;
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

    /**
     * For a process about to exit: the Artemis client's network threads stop now. Its shared event loop outlives the last
     * connection by 10 s, its threads wait in epoll (native code) meanwhile, and the JVM's exit waits up to 300 ms for
     * threads in native code. Never in a host's JVM: every Artemis client there shares that loop.
     */
    public static void stopClientThreads() {
        org.apache.activemq.artemis.core.remoting.impl.netty.SharedEventLoopGroup.forceShutdown();
    }

    public boolean isEmbedded() {
        return brokerUrl == null || brokerUrl.isBlank();
    }

    /** Starts the embedded broker when there is one; the connection factory is usable after this. */
    @Override
    protected void doStart() throws Exception {
        String url = brokerUrl;
        String connectAs = user;
        String connectWith = password;
        if (isEmbedded()) {
            login = BrokerLogin.of(user, password, dataDir);
            connectAs = login.user();
            connectWith = login.password();
            ConfigurationImpl config = new ConfigurationImpl();
            config.setName("ksef-camel-sync");
            config.setPersistenceEnabled(true);
            config.setSecurityEnabled(true);
            config.setJournalType(JournalType.NIO);
            config.setJournalDirectory(directory.resolve("journal").toString());
            config.setBindingsDirectory(directory.resolve("bindings").toString());
            config.setPagingDirectory(directory.resolve("paging").toString());
            config.setLargeMessagesDirectory(directory.resolve("large-messages").toString());
            // messages beyond this are paged to disk, so queues waiting for consumers do not fill the heap
            config.setGlobalMaxSize(memoryBytes);
            // the page being written is also held in memory: small pages keep a queue without consumers from filling
            // the heap (measured with -Xmx128m: 10 MiB pages kept the heap full, 1 MiB pages left about 15 MB free)
            config.addAddressSetting("#", new AddressSettings().setPageSizeBytes(pageBytes)
                    .setMaxDeliveryAttempts(MAX_DELIVERY_ATTEMPTS)
                    .setDeadLetterAddress(SimpleString.of(DEAD_LETTER_ADDRESS)).setAutoCreateDeadLetterResources(true)
                    .setExpiryAddress(SimpleString.of(EXPIRY_ADDRESS)).setAutoCreateExpiryResources(true));
            config.addAcceptorConfiguration("in-vm", "vm://0");
            config.addAcceptorConfiguration("tcp", "tcp://127.0.0.1:" + port);
            embedded = new EmbeddedActiveMQ();
            embedded.setConfiguration(config);
            embedded.setSecurityManager(login);
            embedded.start();
            url = "vm://0";
        }
        pool = new JmsPoolConnectionFactory();
        ActiveMQConnectionFactory factory = new ActiveMQConnectionFactory(url, blankToNull(connectAs), blankToNull(connectWith));
        // destinations looked up by name once per session, not with a broker round trip on every send
        factory.setCacheDestinations(true);
        // credits for 1 MiB of messages per request instead of 64 KiB: a batch is not held up by a credit round trip
        // every few invoices (the broker still pages to disk when its memory is full)
        factory.setProducerWindowSize(1 << 20);
        pool.setConnectionFactory(factory);
        // one connection: the subject types' sessions share it (a new pooled connection per batch cost a broker handshake)
        pool.setMaxConnections(1);
        connectInBackground();
    }

    /**
     * Opens the pooled connection and a transacted session on a thread of its own, while the sync logs in to KSeF and
     * waits for its export: the first batch finds them ready instead of connecting (and loading the client) first. A
     * broker that cannot be reached now is left to the first batch to report.
     */
    private void connectInBackground() {
        JmsPoolConnectionFactory connecting = pool;
        Thread thread = new Thread(() -> {
            try (jakarta.jms.Connection connection = connecting.createConnection();
                 jakarta.jms.Session session = connection.createSession(true, jakarta.jms.Session.SESSION_TRANSACTED)) {
                session.createProducer(null).close();
            } catch (Exception | LinkageError e) {
                // the first batch connects (and reports) itself
            }
        }, "ksef-broker-connect");
        thread.setDaemon(true);
        thread.start();
    }

    /** Messages waiting on a queue of the embedded broker (-1 for an external broker or an unknown queue). */
    public long queueDepth(String queue) {
        if (embedded == null) {
            return -1;
        }
        var q = embeddedServer().locateQueue(SimpleString.of(queue));
        return q == null ? -1 : q.getMessageCount();
    }

    /** The file holding the embedded broker's generated login (null when configured, or for an external broker). */
    public Path loginFile() {
        return login == null ? null : login.file();
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
