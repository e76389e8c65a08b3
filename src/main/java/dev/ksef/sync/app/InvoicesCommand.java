package dev.ksef.sync.app;

import dev.ksef.sync.KsefConfigurationException;
import dev.ksef.sync.api.InvoiceMetadata;
import dev.ksef.sync.api.KsefJson;
import dev.ksef.sync.download.KsefCallException;
import java.io.PrintStream;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.camel.Exchange;

/**
 * {@code invoices list --subject-type S --from X [--to Y] [--nip N] [--json]}: what KSeF's metadata query lists for a
 * subject type of the context (ksef.nip, or the tenant {@code --nip}) by permanent storage date, every page, one line
 * per invoice (or KSeF's InvoiceMetadata as a JSON array). Exit 0, 1 when KSeF's answer was an error, 2 for a wrong
 * command line.
 */
final class InvoicesCommand {

    static final String USAGE = "usage: java -jar ksef-camel-sync.jar invoices list --subject-type Subject1|Subject2|Subject3|SubjectAuthorized "
            + "--from <date or date-time> [--to <date or date-time>] [--nip <NIP>] [--json]";

    private InvoicesCommand() {
    }

    /** {@code args} after "invoices"; the listing on {@code out}, mistakes and failures on {@code err}. */
    static int run(List<String> args, Map<String, String> overrides, PrintStream out, PrintStream err) throws Exception {
        DownloadOptions.logToStandardError(out);
        DownloadOptions options;
        OffsetDateTime from;
        OffsetDateTime to;
        try {
            if (args.isEmpty() || !args.get(0).equals("list")) {
                throw new IllegalArgumentException("invoices: only 'invoices list' is known");
            }
            options = DownloadOptions.parse("invoices list", args.subList(1, args.size()), Set.of("--subject-type", "--from", "--to", "--nip"),
                    Set.of("--json"));
            if (!options.positional.isEmpty()) {
                throw new IllegalArgumentException("invoices list: unexpected '" + options.positional.get(0) + "'");
            }
            if (options.value("--subject-type") == null || options.value("--from") == null) {
                throw new IllegalArgumentException("invoices list: " + (options.value("--subject-type") == null ? "--subject-type" : "--from")
                        + " is missing");
            }
            if (!dev.ksef.sync.SettingsCheck.SUBJECT_TYPES.contains(options.value("--subject-type"))) {
                throw new IllegalArgumentException("invoices list: --subject-type must be one of "
                        + String.join(", ", dev.ksef.sync.SettingsCheck.SUBJECT_TYPES) + ", not '" + options.value("--subject-type") + "'");
            }
            from = DownloadOptions.time("invoices list", "--from", options.value("--from"), false);
            to = options.value("--to") == null ? null : DownloadOptions.time("invoices list", "--to", options.value("--to"), true);
            options.nip("invoices list");
        } catch (IllegalArgumentException e) {
            err.println("ksef-camel-sync: " + e.getMessage());
            err.println(USAGE);
            return 2;
        }
        Application.preflight(overrides);
        try (SyncApp app = SyncApp.start(overrides, false)) {
            Exchange result = app.context().createProducerTemplate().send("direct:ksef-metadata", e -> {
                e.setProperty("ksefContextNip", options.value("--nip") == null ? "" : options.value("--nip"));
                e.setProperty("ksefSubjectType", options.value("--subject-type"));
                e.setProperty("ksefMetadataFrom", from);
                e.setProperty("ksefMetadataTo", to);
            });
            if (result.getException() != null) {
                if (KsefConfigurationException.in(result.getException()) != null) {
                    throw KsefConfigurationException.in(result.getException());
                }
                err.println("ksef-camel-sync: " + KsefCallException.describe(result.getException()));
                return 1;
            }
            @SuppressWarnings("unchecked")
            List<InvoiceMetadata> invoices = result.getMessage().getBody(List.class);
            if (options.flag("--json")) {
                out.println(KsefJson.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(invoices));
            } else {
                for (InvoiceMetadata i : invoices) {
                    out.printf("%s  %s  %s  %-24s %s  %12.2f %s%n", i.ksefNumber(), i.permanentStorageDate(), i.issueDate(), i.invoiceNumber(),
                            i.seller() == null ? "-" : i.seller().nip(), i.grossAmount(), i.currency());
                }
                out.printf("%d invoices of %s (%s) stored from %s to %s%n", invoices.size(), options.value("--subject-type"),
                        result.getProperty("ksefContextNip"), from, to == null ? "now" : to);
            }
            return 0;
        }
    }
}
