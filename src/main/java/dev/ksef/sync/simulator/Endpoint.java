package dev.ksef.sync.simulator;

/**
 * The simulated endpoints, with the group whose limits (x-rate-limits) apply to each. Every endpoint has its own budget:
 * the auth endpoints share the {@code auth} limits (60/s each), not one counter.
 */
public enum Endpoint {
    CHALLENGE("auth"),
    KSEF_TOKEN("auth"),
    XADES_SIGNATURE("auth"),
    AUTH_STATUS("auth"),
    REDEEM("auth"),
    REFRESH("auth"),
    PUBLIC_KEYS("auth"),
    EXPORT_START("invoiceExport"),
    EXPORT_STATUS("invoiceExportStatus"),
    INVOICE_DOWNLOAD("invoiceDownload"),
    INVOICE_METADATA("invoiceMetadata"),
    PART_DOWNLOAD(null);

    private final String limitGroup;

    Endpoint(String limitGroup) {
        this.limitGroup = limitGroup;
    }

    /** The group whose limits apply (see {@link SimulatorConfig#limits}), or {@code null} for the unlimited part links. */
    public String limitGroup() {
        return limitGroup;
    }
}
