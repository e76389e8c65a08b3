package dev.ksef.sync.simulator;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;

/**
 * Runs the KSeF simulator on its own:
 * {@code java -cp ksef-camel-sync.jar dev.ksef.sync.simulator.Main --port 8089 --nip 5265877635 --invoices 5000}.
 * Further options: {@code --part-size BYTES}, {@code --max-invoices N} (per package), {@code --polls N} (status polls at 100),
 * {@code --days N} (how far back the corpus reaches, default 20).
 */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) throws InterruptedException {
        SimulatorConfig config = new SimulatorConfig().port(8089);
        int invoices = 1000;
        int days = 20;
        for (int i = 0; i + 1 < args.length; i += 2) {
            String value = args[i + 1];
            switch (args[i]) {
                case "--port" -> config.port(Integer.parseInt(value));
                case "--nip" -> config.nip(value);
                case "--invoices" -> invoices = Integer.parseInt(value);
                case "--part-size" -> config.partSize(Long.parseLong(value));
                case "--max-invoices" -> config.maxInvoicesPerPackage(Integer.parseInt(value));
                case "--polls" -> config.pollsBeforeReady(Integer.parseInt(value));
                case "--days" -> days = Integer.parseInt(value);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        KsefSimulator simulator = new KsefSimulator(config).start();
        var now = simulator.clock().now();
        simulator.corpus().generate(invoices, now.minus(Duration.ofDays(days)), now.minusMinutes(5));
        System.out.println("KSeF simulator with " + invoices + " invoices for NIP " + simulator.nip());
        System.out.println("base URL:   " + simulator.baseUrl());
        System.out.println("KSeF token: " + simulator.ksefToken());
        CountDownLatch stop = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            simulator.close();
            stop.countDown();
        }));
        stop.await();
    }
}
