package dev.ksef.sync.tenant;

import dev.ksef.sync.KsefConfigurationException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A tenant import file: CSV with a header row naming the columns of {@code tenant add} ({@link #COLUMNS}; only
 * {@code nip} is required, the order is free), one tenant a row. Fields may be quoted ({@code "..."}, a quote inside as
 * {@code ""}); blank lines and lines starting with {@code #} are skipped. Within a field, subject types are separated
 * by {@code ;} (or {@code ,} inside quotes) and cron overrides ({@code Subject1=0 0/15 * * * ?}) by {@code ;}. Every
 * row is checked when the file is read; a mistake names the line and the column.
 */
public final class TenantCsv {

    public static final List<String> COLUMNS = List.of("nip", "name", "token-file", "certificate", "subject-types", "initial-from", "cron");

    /**
     * One row: what it gives, empty values as {@code null} (a token file as written, relative paths unresolved;
     * {@code certificate} true only when the row says so).
     */
    public record Row(int line, String nip, String name, String tokenFile, boolean certificate, List<String> subjectTypes,
                      String initialFrom, Map<String, String> crons) {

        /**
         * The tenant this row makes: a new one (enabled, with the defaults for what the row leaves empty), or the
         * {@code stored} one with the values the row gives (empty columns keep what is stored; its credential stays
         * unless the row names one).
         *
         * @param sealedToken           the token of the row's token file, sealed; {@code null} without one
         * @param certificateConfigured whether {@code ksef.auth.certificate} is set (the credential of a new row that names none)
         * @param source                the file, for a message
         */
        public Tenant tenant(String sealedToken, Optional<Tenant> stored, List<String> defaultSubjectTypes, boolean certificateConfigured,
                             String source) {
            Tenant.Credential credential;
            String token = sealedToken;
            if (sealedToken != null) {
                credential = Tenant.Credential.TOKEN;
            } else if (certificate) {
                credential = Tenant.Credential.CERTIFICATE;
            } else if (stored.isPresent()) {
                credential = stored.get().credential();
                token = stored.get().sealedToken();
            } else if (certificateConfigured) {
                credential = Tenant.Credential.CERTIFICATE;
            } else {
                throw new KsefConfigurationException(source + " line " + line + ": no credential for new tenant " + nip
                        + ": give a token-file, or set ksef.auth.certificate (a certificate that serves every tenant)");
            }
            Map<String, String> allCrons = new HashMap<>(stored.map(Tenant::crons).orElse(Map.of()));
            allCrons.putAll(crons);
            return new Tenant(nip, name != null ? name : stored.map(Tenant::name).orElse(null), stored.map(Tenant::enabled).orElse(true),
                    subjectTypes != null ? subjectTypes : stored.map(Tenant::subjectTypes).orElse(defaultSubjectTypes), credential, token,
                    allCrons, initialFrom != null ? initialFrom : stored.map(Tenant::initialFrom).orElse(null), null, null);
        }
    }

    private TenantCsv() {
    }

    public static List<Row> parse(Path file) {
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return parse(file.toString(), in);
        } catch (IOException e) {
            throw new KsefConfigurationException("cannot read " + file + " (" + e.getClass().getSimpleName() + ")");
        }
    }

    /** The rows of {@code in}; {@code source} names it in messages. */
    public static List<Row> parse(String source, Reader in) throws IOException {
        BufferedReader lines = new BufferedReader(in);
        List<String> header = null;
        List<Row> rows = new ArrayList<>();
        Map<String, Integer> nips = new HashMap<>();
        int number = 0;
        for (String line = lines.readLine(); line != null; line = lines.readLine()) {
            number++;
            if (number == 1 && line.startsWith("\uFEFF")) {
                line = line.substring(1);
            }
            if (line.isBlank() || line.strip().startsWith("#")) {
                continue;
            }
            String at = source + " line " + number;
            List<String> fields = fields(line, at, header);
            if (header == null) {
                header = header(fields, at);
                continue;
            }
            if (fields.size() > header.size()) {
                throw new KsefConfigurationException(at + ": " + fields.size() + " fields, but the header names " + header.size() + " columns");
            }
            Map<String, String> values = new LinkedHashMap<>();
            for (int i = 0; i < fields.size(); i++) {
                values.put(header.get(i), fields.get(i).strip());
            }
            Row row = row(number, values, at);
            Integer earlier = nips.putIfAbsent(row.nip(), number);
            if (earlier != null) {
                throw new KsefConfigurationException(at + ", column nip: " + row.nip() + " is on line " + earlier + " already");
            }
            rows.add(row);
        }
        if (header == null) {
            throw new KsefConfigurationException(source + " has no header row: the first line names the columns, such as "
                    + String.join(",", COLUMNS));
        }
        return rows;
    }

    private static List<String> header(List<String> fields, String at) {
        List<String> header = new ArrayList<>();
        for (String field : fields) {
            String column = field.strip().toLowerCase(Locale.ROOT);
            if (!COLUMNS.contains(column)) {
                throw new KsefConfigurationException(at + ": unknown column " + Tenant.shown(field.strip()) + " in the header: the columns are "
                        + String.join(", ", COLUMNS));
            }
            if (header.contains(column)) {
                throw new KsefConfigurationException(at + ": column " + column + " is named twice in the header");
            }
            header.add(column);
        }
        if (!header.contains("nip")) {
            throw new KsefConfigurationException(at + ": the header has no column nip (the columns are " + String.join(", ", COLUMNS) + ")");
        }
        return header;
    }

    private static Row row(int number, Map<String, String> values, String at) {
        String column = "nip";
        try {
            String nip = Tenant.requireNip(values.get(column));
            column = "name";
            String name = Tenant.requireName(values.get(column));
            column = "certificate";
            String certificateValue = values.getOrDefault(column, "").toLowerCase(Locale.ROOT);
            if (!certificateValue.isEmpty() && !certificateValue.equals("true") && !certificateValue.equals("false")) {
                throw new KsefConfigurationException("must be true or false, not " + Tenant.shown(values.get(column)));
            }
            boolean certificate = certificateValue.equals("true");
            column = "token-file";
            String tokenFile = blankToNull(values.get(column));
            if (tokenFile != null && certificate) {
                throw new KsefConfigurationException("a token file and certificate=true: a tenant logs in with one of them");
            }
            column = "subject-types";
            String types = values.get(column);
            List<String> subjectTypes = types == null || types.isBlank() ? null : Tenant.parseSubjectTypes(types);
            column = "initial-from";
            String initialFrom = Tenant.requireInitialFrom(values.get(column));
            column = "cron";
            Map<String, String> crons = new LinkedHashMap<>();
            for (String override : values.getOrDefault(column, "").split(";")) {
                if (!override.isBlank()) {
                    Map.Entry<String, String> entry = Tenant.parseCronOverride(override);
                    if (crons.put(entry.getKey(), entry.getValue()) != null) {
                        throw new KsefConfigurationException("two crons for " + entry.getKey());
                    }
                }
            }
            return new Row(number, nip, name, tokenFile, certificate, subjectTypes, initialFrom, Map.copyOf(crons));
        } catch (KsefConfigurationException e) {
            throw new KsefConfigurationException(at + ", column " + column + ": " + e.getMessage());
        }
    }

    /** The fields of one line: separated by commas, each optionally in double quotes. */
    private static List<String> fields(String line, String at, List<String> header) {
        List<String> fields = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        int i = 0;
        while (true) {
            while (i < line.length() && (line.charAt(i) == ' ' || line.charAt(i) == '\t')) {
                i++;
            }
            if (i < line.length() && line.charAt(i) == '"') {
                i++;
                while (true) {
                    if (i >= line.length()) {
                        throw new KsefConfigurationException(at + place(header, fields.size()) + ": a quote is not closed on this line");
                    }
                    char c = line.charAt(i++);
                    if (c == '"') {
                        if (i < line.length() && line.charAt(i) == '"') {
                            field.append('"');
                            i++;
                        } else {
                            break;
                        }
                    } else {
                        field.append(c);
                    }
                }
                while (i < line.length() && line.charAt(i) != ',') {
                    if (!Character.isWhitespace(line.charAt(i++))) {
                        throw new KsefConfigurationException(at + place(header, fields.size()) + ": text after a closing quote");
                    }
                }
            } else {
                while (i < line.length() && line.charAt(i) != ',') {
                    char c = line.charAt(i++);
                    if (c == '"') {
                        throw new KsefConfigurationException(at + place(header, fields.size()) + ": a quote inside an unquoted field "
                                + "(quote the whole field and double the quote)");
                    }
                    field.append(c);
                }
            }
            fields.add(field.toString());
            field.setLength(0);
            if (i >= line.length()) {
                return fields;
            }
            i++; // the comma
        }
    }

    /** ", column name" of the field at {@code index}, or ", field n" where no header names it. */
    private static String place(List<String> header, int index) {
        return header != null && index < header.size() ? ", column " + header.get(index) : ", field " + (index + 1);
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }
}
