package dev.ksef.sync.app;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ksef.sync.tenant.Tenant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code tenant list}: a table for people or a JSON array for scripts, with the NIP, name, enabled, subject types,
 * credential kind, initial-from (and in JSON the cron overrides). Never a token or a sealed value.
 */
final class TenantListing {

    private static final String[] HEADER = {"NIP", "NAME", "ENABLED", "SUBJECT TYPES", "CREDENTIAL", "INITIAL FROM"};

    private TenantListing() {
    }

    /** A JSON array; absent values as null. */
    static String json(List<Tenant> tenants) {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (Tenant t : tenants) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("nip", t.nip());
            row.put("name", t.name());
            row.put("enabled", t.enabled());
            row.put("subjectTypes", t.subjectTypes());
            row.put("credential", t.credential().id());
            row.put("initialFrom", t.initialFrom());
            row.put("crons", t.crons());
            rows.add(row);
        }
        try {
            return new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(rows);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the tenants as JSON", e);
        }
    }

    /** Aligned columns under a header; "-" for no name and the default initial-from. */
    static String table(List<Tenant> tenants) {
        if (tenants.isEmpty()) {
            return "no tenants (tenant add --nip <NIP> adds one)";
        }
        List<String[]> lines = new ArrayList<>();
        lines.add(HEADER);
        for (Tenant t : tenants) {
            lines.add(new String[] {t.nip(), t.name() == null ? "-" : t.name(), t.enabled() ? "yes" : "no", String.join(",", t.subjectTypes()),
                    t.credential().id(), t.initialFrom() == null ? "-" : t.initialFrom()});
        }
        int[] widths = new int[HEADER.length];
        for (String[] line : lines) {
            for (int i = 0; i < widths.length; i++) {
                widths[i] = Math.max(widths[i], line[i].length());
            }
        }
        StringBuilder text = new StringBuilder();
        for (String[] line : lines) {
            for (int i = 0; i < line.length; i++) {
                text.append(i == line.length - 1 ? line[i] + System.lineSeparator() : String.format("%-" + (widths[i] + 2) + "s", line[i]));
            }
        }
        return text.toString().stripTrailing();
    }
}
