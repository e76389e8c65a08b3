package dev.ksef.sync.bench;

import dev.ksef.sync.app.Broker;
import dev.ksef.sync.export.ExportPlanner;
import dev.ksef.sync.export.ExportRun;
import dev.ksef.sync.jms.InvoicePublisher;
import dev.ksef.sync.pkg.InvoiceRecord;
import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.List;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.api.core.client.ActiveMQClient;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;

/**
 * Publishing the package's invoices, already in memory, into the standalone broker over TCP, in a fresh JVM: the
 * plainest JMS producer (the floor: a default connection factory, one transacted session and producer, persistent
 * text messages of the invoices' XML, a commit every 500, no properties), or the bundle's own publisher through the
 * connection factory the application makes for an external broker. The first pass is {@code cold}, then the median
 * of three after the warm-ups is {@code warm}. Each pass goes to a queue of its own, deleted after it, so every pass
 * finds the broker as empty as the first.
 */
final class TcpPublish {

    private static final int MEASURED_PASSES = 3;

    private TcpPublish() {
    }

    /** {@code plain} or {@code bundle}. */
    static void run(String producer, int warmups, Path packageDir, Path work, String url) throws Exception {
        BenchPackage pkg = BenchPackage.load(packageDir);
        List<List<InvoiceRecord>> batches = JmsFloor.batches(pkg, work);
        if (batches == null) {
            return;
        }
        String password = System.getenv("BENCH_BROKER_PASSWORD");
        Pass pass = producer.equals("plain") ? plain(url, password, batches) : bundle(url, password, work, batches);
        int passes = 1 + warmups + MEASURED_PASSES;
        long[] walls = new long[passes];
        long[] cpus = new long[passes];
        long[] brokerCpus = new long[passes];
        long brokerPid = Long.parseLong(System.getenv().getOrDefault("BENCH_BROKER_PID", "-1"));
        long invoices = batches.stream().mapToLong(List::size).sum();
        Measure.resetPeaks();
        try (var locator = ActiveMQClient.createServerLocator(url); var factory = locator.createSessionFactory();
             var admin = factory.createSession(StandaloneBroker.USER, password, false, true, true, false, 0)) {
            for (int i = 0; i < passes; i++) {
                String queue = "bench.publish." + producer + "." + i;
                long cpu = Measure.processCpuNanos();
                long brokerCpu = Measure.processCpuNanos(brokerPid);
                long started = System.nanoTime();
                pass.run(queue, i);
                walls[i] = System.nanoTime() - started;
                cpus[i] = Measure.processCpuNanos() - cpu;
                brokerCpus[i] = Measure.processCpuNanos(brokerPid) - brokerCpu;
                admin.deleteQueue(SimpleString.of(queue));
            }
        }
        pass.close();
        String name = producer.equals("plain") ? "tcp floor: plain JMS producer" : "tcp publish: bundle's publisher";
        Measure.report(name + " (cold)", invoices, pkg.encryptedBytes(), walls[0], cpus[0]);
        System.out.println("BENCH brokerCpuMs=" + brokerCpus[0] / 1_000_000);
        int median = StageRun.medianIndex(java.util.Arrays.copyOfRange(walls, passes - MEASURED_PASSES, passes)) + passes - MEASURED_PASSES;
        Measure.report(name + " (warm)", invoices, pkg.encryptedBytes(), walls[median], cpus[median]);
        System.out.println("BENCH brokerCpuMs=" + brokerCpus[median] / 1_000_000);
    }

    private interface Pass extends AutoCloseable {
        void run(String queue, int pass) throws Exception;
    }

    private static Pass plain(String url, String password, List<List<InvoiceRecord>> batches) throws Exception {
        ActiveMQConnectionFactory factory = new ActiveMQConnectionFactory(url, StandaloneBroker.USER, password);
        Connection connection = factory.createConnection();
        Session session = connection.createSession(true, Session.SESSION_TRANSACTED);
        MessageProducer producer = session.createProducer(null);
        producer.setDeliveryMode(DeliveryMode.PERSISTENT);
        return new Pass() {
            @Override
            public void run(String queue, int pass) throws Exception {
                var destination = session.createQueue(queue);
                for (List<InvoiceRecord> batch : batches) {
                    for (InvoiceRecord record : batch) {
                        producer.send(destination, session.createTextMessage(new String(record.xml(), StandardCharsets.UTF_8)));
                    }
                    session.commit();
                }
            }

            @Override
            public void close() throws Exception {
                connection.close();
            }
        };
    }

    private static Pass bundle(String url, String password, Path work, List<List<InvoiceRecord>> batches) throws Exception {
        Broker broker = new Broker(url, StandaloneBroker.USER, password, work, 0); // as the application makes it for ksef.jms.broker-url
        broker.start();
        DefaultCamelContext context = new DefaultCamelContext();
        InvoicePublisher publisher = new InvoicePublisher(broker.connectionFactory(), null);
        return new Pass() {
            @Override
            public void run(String queue, int pass) throws Exception {
                // a subject type of its own per pass: the broker would drop a second copy as a duplicate
                ExportRun run = new ExportRun("bench", "Subject1-" + pass, "bench", OffsetDateTime.now(), null, BenchPackage.key());
                run.referenceNumber = "bench-tcp-" + pass;
                Exchange exchange = new DefaultExchange(context);
                exchange.setProperty(ExportPlanner.EXPORT, run);
                exchange.setProperty(ExportPlanner.QUEUE, queue);
                for (List<InvoiceRecord> batch : batches) {
                    publisher.publish(exchange, batch);
                }
            }

            @Override
            public void close() throws Exception {
                broker.stop();
                context.close();
            }
        };
    }
}
