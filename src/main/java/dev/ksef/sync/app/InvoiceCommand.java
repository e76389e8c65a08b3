package dev.ksef.sync.app;

import dev.ksef.sync.KsefConfigurationException;
import dev.ksef.sync.download.KsefCallException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.camel.Exchange;

/**
 * {@code invoice get <ksefNumber> [--nip N] [--out FILE]}: one invoice by its KSeF number, verified against KSeF's
 * {@code x-ms-meta-hash}, written to FILE (a line saying so on the error stream) or as it came to the output. Exit 0,
 * 1 when KSeF refused (unknown number, not yet stored, a hash that does not match), 2 for a wrong command line.
 */
final class InvoiceCommand {

    static final String USAGE = "usage: java -jar ksef-camel-sync.jar invoice get <ksefNumber> [--nip <NIP>] [--out <file>]";

    private InvoiceCommand() {
    }

    /** {@code args} after "invoice"; the XML on {@code out} (without --out), everything else on {@code err}. */
    static int run(List<String> args, Map<String, String> overrides, PrintStream out, PrintStream err) throws Exception {
        DownloadOptions.logToStandardError(out);
        DownloadOptions options;
        Path file;
        try {
            if (args.isEmpty() || !args.get(0).equals("get")) {
                throw new IllegalArgumentException("invoice: only 'invoice get <ksefNumber>' is known");
            }
            options = DownloadOptions.parse("invoice get", args.subList(1, args.size()), Set.of("--nip", "--out"), Set.of());
            if (options.positional.size() != 1) {
                throw new IllegalArgumentException("invoice get: " + (options.positional.isEmpty() ? "which KSeF number?" : "one KSeF number only"));
            }
            dev.ksef.sync.download.InvoiceDownload.checked(options.positional.get(0));
            options.nip("invoice get");
            file = options.value("--out") == null ? null : Path.of(options.value("--out"));
        } catch (InvalidPathException e) {
            err.println("ksef-camel-sync: invoice get: --out is not a path: " + e.getReason());
            return 2;
        } catch (IllegalArgumentException e) {
            err.println("ksef-camel-sync: " + e.getMessage().replaceFirst("^(?!invoice get)", "invoice get: "));
            err.println(USAGE);
            return 2;
        }
        Application.preflight(overrides);
        try (SyncApp app = SyncApp.start(overrides, false)) {
            Exchange result = app.context().createProducerTemplate().request("direct:ksef-invoice", e -> {
                e.getMessage().setHeader("ksefNumber", options.positional.get(0));
                e.getMessage().setHeader("ksefContextNip", options.value("--nip") == null ? "" : options.value("--nip"));
            });
            if (result.getException() != null) {
                if (KsefConfigurationException.in(result.getException()) != null) {
                    throw KsefConfigurationException.in(result.getException());
                }
                err.println("ksef-camel-sync: " + KsefCallException.describe(result.getException()));
                return 1;
            }
            byte[] xml = result.getMessage().getBody(byte[].class);
            if (file == null) {
                out.write(xml);
                out.flush();
            } else {
                Files.write(file, xml);
                err.printf("invoice %s of %s: %d bytes, SHA-256 %s (x-ms-meta-hash verified), written to %s%n", options.positional.get(0),
                        result.getMessage().getHeader("ksefContextNip"), xml.length, result.getMessage().getHeader("ksefInvoiceHash"),
                        file.toAbsolutePath());
            }
            return 0;
        }
    }
}
