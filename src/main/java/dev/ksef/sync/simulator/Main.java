package dev.ksef.sync.simulator;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * Runs the KSeF simulator on its own:
 * {@code java -cp ksef-camel-sync.jar dev.ksef.sync.simulator.Main --port 8089 --nip 5265877635 --invoices 5000}.
 * Further options: {@code --part-size BYTES}, {@code --max-invoices N} (per package), {@code --polls N} (status polls at 100),
 * {@code --days N} (how far back the invoices reach, default 20), {@code --seed N}; many contexts:
 * {@code --contexts N} (the first NIP and N-1 valid NIPs drawn from the seed) or {@code --nips A,B,C}, with
 * {@code --invoices} invoices each (made on a context's first use), {@code --shared N} invoices between neighbouring
 * contexts, {@code --grant NIP} (an office's NIP granted invoice reading in every context, for certificate logins),
 * {@code --tokens-out FILE} (one {@code nip,token} line per context, written before the base URL is printed).
 */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) throws InterruptedException, IOException {
        SimulatorConfig config = new SimulatorConfig().port(8089);
        int invoices = 1000;
        int days = 20;
        int contexts = 1;
        int shared = 0;
        List<String> nips = null;
        List<String> grants = new ArrayList<>();
        Path tokensOut = null;
        if (args.length % 2 != 0) {
            throw new IllegalArgumentException("every option takes a value: " + String.join(" ", args));
        }
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
                case "--seed" -> config.seed(Long.parseLong(value));
                case "--contexts" -> contexts = Integer.parseInt(value);
                case "--nips" -> nips = Arrays.stream(value.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
                case "--shared" -> shared = Integer.parseInt(value);
                case "--grant" -> grants.add(SimulatorConfig.validNip(value));
                case "--tokens-out" -> tokensOut = Path.of(value);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        if (nips != null) {
            config.contexts(nips);
        } else if (contexts > 1) {
            config.generatedContexts(contexts);
        }
        config.invoicesPerContext(invoices).invoiceSpan(Duration.ofDays(days));
        KsefSimulator simulator = new KsefSimulator(config).start();
        List<String> served = simulator.nips();
        grants.forEach(simulator::grantInvoiceReadEverywhere);
        for (int k = 0; k < shared && served.size() > 1; k++) {
            simulator.addInvoiceBetween(served.get(k % served.size()), served.get((k + 1) % served.size()),
                    simulator.clock().now().minusMinutes(5));
        }
        if (tokensOut != null) {
            writeTokens(simulator, tokensOut);
        }
        if (served.size() == 1) {
            System.out.println("KSeF simulator with " + simulator.corpus().size() + " invoices for NIP " + simulator.nip());
        } else {
            System.out.println("KSeF simulator with " + served.size() + " contexts, " + invoices + " invoices each"
                    + (shared > 0 ? ", " + shared + " between two of them" : ""));
        }
        System.out.println("base URL:   " + simulator.baseUrl());
        if (tokensOut != null) {
            System.out.println("KSeF tokens: " + tokensOut + " (nip,token per line)");
        } else if (served.size() == 1) {
            System.out.println("KSeF token: " + simulator.ksefToken());
        } else {
            served.forEach(nip -> System.out.println("KSeF token: " + nip + "," + simulator.ksefToken(nip)));
        }
        CountDownLatch stop = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            simulator.close();
            stop.countDown();
        }));
        stop.await();
    }

    /** {@code nip,token} lines, written to a side file and moved into place so a reader never sees half of them. */
    static void writeTokens(KsefSimulator simulator, Path file) throws IOException {
        StringBuilder lines = new StringBuilder();
        simulator.nips().forEach(nip -> lines.append(nip).append(',').append(simulator.ksefToken(nip)).append('\n'));
        Path absolute = file.toAbsolutePath();
        Path partial = absolute.resolveSibling(absolute.getFileName() + ".partial");
        Files.writeString(partial, lines, StandardCharsets.UTF_8);
        Files.move(partial, absolute, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
