package dev.ksef.sync.simulator;

/** The simulated endpoints, with the rate-limit group KSeF counts each in. */
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
    PART_DOWNLOAD(null);

    private final String limitGroup;

    Endpoint(String limitGroup) {
        this.limitGroup = limitGroup;
    }

    /** KSeF's rate-limit group, or {@code null} for the unlimited part links. */
    public String limitGroup() {
        return limitGroup;
    }
}
