package dev.ksef.sync.app;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The options of the download commands ({@code invoices list}, {@code invoice get}, {@code reconcile}: {@code --name
 * value} and flags) and their positional arguments; a mistake is an {@link IllegalArgumentException} whose message is
 * the one line to print (exit code 2).
 */
final class DownloadOptions {

    static final ZoneId POLAND = ZoneId.of("Europe/Warsaw");

    final Map<String, String> values = new HashMap<>();
    final Set<String> flags = new java.util.HashSet<>();
    final List<String> positional = new ArrayList<>();

    private DownloadOptions() {
    }

    static DownloadOptions parse(String command, List<String> args, Set<String> valued, Set<String> flagNames) {
        DownloadOptions options = new DownloadOptions();
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (flagNames.contains(arg)) {
                options.flags.add(arg);
            } else if (valued.contains(arg)) {
                if (i + 1 == args.size() || args.get(i + 1).startsWith("--")) {
                    throw new IllegalArgumentException(command + ": " + arg + " needs a value");
                }
                if (options.values.put(arg, args.get(++i)) != null) {
                    throw new IllegalArgumentException(command + ": " + arg + " is given twice");
                }
            } else if (arg.startsWith("--")) {
                throw new IllegalArgumentException(command + ": unknown option '" + arg + "'");
            } else {
                options.positional.add(arg);
            }
        }
        return options;
    }

    /** A command whose output is data (a listing, an invoice, a report) on the process's output: the log goes to the error stream. */
    static void logToStandardError(java.io.PrintStream out) {
        if (out == System.out) {
            System.setProperty("ksef.log.target", "SYSTEM_ERR"); // read when logging starts, after the command line
        }
    }

    String value(String name) {
        return values.get(name);
    }

    boolean flag(String name) {
        return flags.contains(name);
    }

    /** An ISO-8601 date-time with its offset, or a date: its start ({@code end} false) or its end, Polish time. */
    static OffsetDateTime time(String command, String option, String text, boolean end) {
        try {
            return OffsetDateTime.parse(text);
        } catch (DateTimeParseException notDateTime) {
            try {
                LocalDate date = LocalDate.parse(text);
                return (end ? date.plusDays(1).atStartOfDay(POLAND).minusNanos(1_000_000) : date.atStartOfDay(POLAND)).toOffsetDateTime();
            } catch (DateTimeParseException notDate) {
                throw new IllegalArgumentException(command + ": " + option + " must be a date (2026-11-30) or a date-time with its offset "
                        + "(2026-11-30T08:00:00+01:00), not '" + text + "'");
            }
        }
    }

    /** {@code --nip} when given: a NIP with a valid checksum. */
    String nip(String command) {
        String nip = value("--nip");
        if (nip != null && !dev.ksef.sync.Nip.isValid(nip)) {
            throw new IllegalArgumentException(command + ": --nip " + nip + " is not a NIP (ten digits with a valid checksum)");
        }
        return nip;
    }
}
