package dev.ksef.sync.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ksef.sync.api.InvoiceMetadata;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The narrowing filters of an export's {@code InvoiceQueryFilters} beyond subject type and date range, applied to the
 * simulated invoices' metadata: ksefNumber, invoiceNumber, amount (Brutto/Netto/Vat, from/to inclusive), sellerNip,
 * buyerIdentifier (type and, unless None, value), currencyCodes, invoicingMode, isSelfInvoicing, formType, invoiceTypes
 * and hasAttachment. Absent or null filters match everything.
 */
final class ExportFilter implements Predicate<SimInvoice> {

    private static final Set<String> AMOUNT_TYPES = Set.of("Brutto", "Netto", "Vat");
    private static final Set<String> BUYER_TYPES = Set.of("Nip", "VatUe", "Other", "None");
    private static final Set<String> MODES = Set.of("Online", "Offline");
    private static final Set<String> FORM_TYPES = Set.of("FA", "PEF", "FA_RR");

    private final List<Predicate<InvoiceMetadata>> tests = new ArrayList<>();

    /** The filters of {@code filters}; an {@link IllegalArgumentException} names the first invalid one (KSeF: 400 21405). */
    static ExportFilter of(JsonNode filters) {
        ExportFilter filter = new ExportFilter();
        if (filters == null) {
            return filter;
        }
        text(filters, "ksefNumber").ifPresent(v -> filter.tests.add(m -> v.equals(m.ksefNumber())));
        text(filters, "invoiceNumber").ifPresent(v -> filter.tests.add(m -> v.equals(m.invoiceNumber())));
        text(filters, "sellerNip").ifPresent(v -> filter.tests.add(m -> m.seller() != null && v.equals(m.seller().nip())));
        JsonNode amount = filters.path("amount");
        if (amount.isObject()) {
            String type = oneOf(amount.path("type").asText(null), AMOUNT_TYPES, "amount.type");
            double from = amount.path("from").isNumber() ? amount.path("from").asDouble() : Double.NEGATIVE_INFINITY;
            double to = amount.path("to").isNumber() ? amount.path("to").asDouble() : Double.POSITIVE_INFINITY;
            filter.tests.add(m -> {
                double value = switch (type) {
                    case "Brutto" -> m.grossAmount();
                    case "Netto" -> m.netAmount();
                    default -> m.vatAmount();
                };
                return value >= from && value <= to;
            });
        }
        JsonNode buyer = filters.path("buyerIdentifier");
        if (buyer.isObject()) {
            String type = oneOf(buyer.path("type").asText(null), BUYER_TYPES, "buyerIdentifier.type");
            String value = buyer.path("value").isTextual() ? buyer.path("value").asText() : null;
            filter.tests.add(m -> {
                InvoiceMetadata.Identifier id = m.buyer() == null ? null : m.buyer().identifier();
                String actualType = id == null || id.type() == null ? "None" : id.type();
                return actualType.equals(type) && (type.equals("None") || value == null || value.equals(id.value()));
            });
        }
        JsonNode currencies = filters.path("currencyCodes");
        if (currencies.isArray() && !currencies.isEmpty()) {
            Set<String> codes = new java.util.HashSet<>();
            currencies.forEach(c -> codes.add(c.asText()));
            filter.tests.add(m -> codes.contains(m.currency()));
        }
        text(filters, "invoicingMode").map(v -> oneOf(v, MODES, "invoicingMode"))
                .ifPresent(v -> filter.tests.add(m -> v.equals(m.invoicingMode())));
        text(filters, "formType").map(v -> oneOf(v, FORM_TYPES, "formType"))
                .ifPresent(v -> filter.tests.add(m -> m.formCode() != null && v.equals(m.formCode().value())));
        JsonNode types = filters.path("invoiceTypes");
        if (types.isArray() && !types.isEmpty()) {
            Set<String> wanted = new java.util.HashSet<>();
            types.forEach(t -> wanted.add(t.asText()));
            filter.tests.add(m -> wanted.contains(m.invoiceType()));
        }
        flag(filters, "isSelfInvoicing").ifPresent(v -> filter.tests.add(m -> m.isSelfInvoicing() == v));
        flag(filters, "hasAttachment").ifPresent(v -> filter.tests.add(m -> m.hasAttachment() == v));
        return filter;
    }

    @Override
    public boolean test(SimInvoice invoice) {
        return tests.stream().allMatch(t -> t.test(invoice.metadata()));
    }

    private static java.util.Optional<String> text(JsonNode node, String field) {
        JsonNode value = node.path(field);
        return value.isTextual() ? java.util.Optional.of(value.asText()) : java.util.Optional.empty();
    }

    private static java.util.Optional<Boolean> flag(JsonNode node, String field) {
        JsonNode value = node.path(field);
        return value.isBoolean() ? java.util.Optional.of(value.asBoolean()) : java.util.Optional.empty();
    }

    private static String oneOf(String value, Set<String> allowed, String field) {
        if (value == null || !allowed.contains(value)) {
            throw new IllegalArgumentException("filters." + field + " must be one of " + new java.util.TreeSet<>(allowed));
        }
        return value;
    }
}
