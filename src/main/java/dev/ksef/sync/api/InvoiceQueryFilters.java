package dev.ksef.sync.api;

/**
 * {@code InvoiceQueryFilters}: the subject type (Subject1 seller, Subject2 buyer, Subject3 third party,
 * SubjectAuthorized) and date range the sync uses; the optional narrowing filters are not needed for a full sync.
 */
public record InvoiceQueryFilters(String subjectType, InvoiceQueryDateRange dateRange) {
}
