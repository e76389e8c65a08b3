package dev.ksef.sync.bench;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.api.core.client.ActiveMQClient;
import org.apache.activemq.artemis.core.config.impl.ConfigurationImpl;
import org.apache.activemq.artemis.core.security.CheckType;
import org.apache.activemq.artemis.core.security.Role;
import org.apache.activemq.artemis.core.server.JournalType;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.apache.activemq.artemis.core.settings.impl.AddressSettings;
import org.apache.activemq.artemis.spi.core.security.ActiveMQSecurityManager;

/**
 * A standalone Artemis as users run one, for the external-broker benchmarks: the {@code artemis-server} classes of the
 * application's jar started in a JVM of their own (the distribution archive is not to be had here), with a persistent
 * NIO journal under a directory of its own, synced on every commit, one login, and a TCP acceptor on 127.0.0.1 set up
 * as {@code artemis create} sets up its default one (1 MiB socket buffers, CORE). The child prints {@code READY} once
 * it accepts connections and stops when its standard input closes (the orchestrator exits or closes it).
 */
final class StandaloneBroker implements AutoCloseable {

    static final String USER = "bench";

    final int port;
    final String password;
    private final Process process;

    private StandaloneBroker(int port, String password, Process process) {
        this.port = port;
        this.password = password;
        this.process = process;
    }

    long pid() {
        return process.pid();
    }

    String url() {
        return "tcp://127.0.0.1:" + port;
    }

    /** In the orchestrator: the broker in a child JVM with {@code heap}, its journal under {@code dir}; returns once it is ready. */
    static StandaloneBroker start(String heap, List<String> jvm, Path dir) throws Exception {
        int port = E2eRun.freePort();
        String password = Long.toHexString(new java.security.SecureRandom().nextLong());
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx" + heap));
        command.addAll(jvm);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), StandaloneBroker.class.getName(), dir.toString(), Integer.toString(port)));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("BENCH_BROKER_PASSWORD", password);
        Process process = builder.start();
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        for (String line; (line = out.readLine()) != null; ) {
            if (line.equals("READY")) {
                Thread drain = new Thread(() -> out.lines().filter(l -> l.contains(" ERROR ")).forEach(l -> System.out.println("  broker | " + l)));
                drain.setDaemon(true);
                drain.start();
                return new StandaloneBroker(port, password, process);
            }
            System.out.println("  broker | " + line);
        }
        throw new IllegalStateException("the standalone broker did not start (exit " + process.waitFor() + ")");
    }

    /** Messages on {@code queue} right now, asked over the broker's own protocol. */
    long messageCount(String queue) throws Exception {
        try (var locator = ActiveMQClient.createServerLocator(url()); var factory = locator.createSessionFactory();
             var session = factory.createSession(USER, password, false, true, true, false, 0)) {
            var query = session.queueQuery(SimpleString.of(queue));
            return query.isExists() ? query.getMessageCount() : 0;
        }
    }

    @Override
    public void close() throws Exception {
        process.getOutputStream().close();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }

    /** The child: {@code StandaloneBroker <journal dir> <port>}, password in BENCH_BROKER_PASSWORD. */
    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        String password = System.getenv("BENCH_BROKER_PASSWORD");
        ConfigurationImpl config = new ConfigurationImpl();
        config.setName("bench-standalone");
        config.setPersistenceEnabled(true);
        config.setSecurityEnabled(true);
        config.setJournalType(JournalType.NIO); // libaio is not in the jar; a distribution on a host without it uses NIO too
        config.setJournalDatasync(true);
        config.setJournalDirectory(dir.resolve("journal").toString());
        config.setBindingsDirectory(dir.resolve("bindings").toString());
        config.setPagingDirectory(dir.resolve("paging").toString());
        config.setLargeMessagesDirectory(dir.resolve("large-messages").toString());
        config.setJournalPoolFiles(10);
        config.addAddressSetting("#", new AddressSettings().setDeadLetterAddress(SimpleString.of("DLQ"))
                .setExpiryAddress(SimpleString.of("ExpiryQueue")).setAutoCreateQueues(true).setAutoCreateAddresses(true));
        config.addAcceptorConfiguration("artemis", "tcp://127.0.0.1:" + args[1]
                + "?tcpSendBufferSize=1048576;tcpReceiveBufferSize=1048576;protocols=CORE");
        EmbeddedActiveMQ broker = new EmbeddedActiveMQ();
        broker.setConfiguration(config);
        broker.setSecurityManager(new ActiveMQSecurityManager() {
            @Override
            public boolean validateUser(String user, String candidate) {
                return USER.equals(user) && password.equals(candidate);
            }

            @Override
            public boolean validateUserAndRole(String user, String candidate, Set<Role> roles, CheckType checkType) {
                return validateUser(user, candidate);
            }
        });
        broker.start();
        System.out.println("READY");
        System.out.flush();
        // until the orchestrator closes our standard input (or goes away)
        while (System.in.read() >= 0) {
            // nothing to read
        }
        broker.stop();
        System.exit(0);
    }
}
