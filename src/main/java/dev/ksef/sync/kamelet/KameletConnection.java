package dev.ksef.sync.kamelet;

import dev.ksef.sync.KsefSync;
import dev.ksef.sync.Secrets;
import java.util.HashMap;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.apache.camel.CamelContextAware;

/**
 * The KSeF context of a {@code ksef-invoice-source} Kamelet, from its parameters: the NIP, the API base URL and the
 * credential (a KSeF token, or a certificate with its key and key password). A template-local bean of the Kamelet;
 * before each run it connects the bundle's session to that context (once: later runs find it connected). The secrets
 * stay in this bean and are never printed.
 */
public final class KameletConnection implements CamelContextAware {

    private CamelContext context;
    private String nip;
    private String baseUrl;
    private String ksefToken;
    private String certificate;
    private String privateKey;
    private String keyPassword;
    private String subjectIdentifier;
    private String verifyCertificateChain;
    private String storeKey;

    /** Connects the bundle's session to this Kamelet's context; the same context again is a no-op. */
    public synchronized void connect() {
        KsefSync sync = context.getRegistry().lookupByNameAndType("ksefSync", KsefSync.class);
        if (sync == null) {
            throw new IllegalStateException("the ksef-invoice-source Kamelet needs the bundle's routes: add "
                    + "classpath:ksef-sync/routes/*.camel.yaml to camel.main.routes-include-pattern");
        }
        if (baseUrl.strip().equals(sync.sessions().connectedBaseUrl(nip.strip()))) {
            return; // this context is connected (the same NIP at another API is refused below)
        }
        Map<String, String> secrets = new HashMap<>();
        put(secrets, "ksef.token", ksefToken);
        put(secrets, "ksef.auth.key-password", keyPassword);
        put(secrets, "ksef.store.key", storeKey);
        Map<String, String> settings = new HashMap<>();
        put(settings, "ksef.auth.certificate", certificate);
        put(settings, "ksef.auth.private-key", privateKey);
        put(settings, "ksef.auth.subject-identifier", subjectIdentifier);
        put(settings, "ksef.auth.verify-certificate-chain", verifyCertificateChain);
        sync.sessions().connect(KsefSync.ksefContext(new Secrets(secrets), nip, baseUrl, settings::get));
    }

    private static void put(Map<String, String> map, String key, String value) {
        if (value != null && !value.isBlank()) {
            map.put(key, value);
        }
    }

    @Override
    public void setCamelContext(CamelContext context) {
        this.context = context;
    }

    @Override
    public CamelContext getCamelContext() {
        return context;
    }

    public void setNip(String nip) {
        this.nip = nip;
    }

    public void setBaseUrl(String baseUrl) {
        this.baseUrl = baseUrl;
    }

    public void setKsefToken(String ksefToken) {
        this.ksefToken = ksefToken;
    }

    public void setCertificate(String certificate) {
        this.certificate = certificate;
    }

    public void setPrivateKey(String privateKey) {
        this.privateKey = privateKey;
    }

    public void setKeyPassword(String keyPassword) {
        this.keyPassword = keyPassword;
    }

    public void setSubjectIdentifier(String subjectIdentifier) {
        this.subjectIdentifier = subjectIdentifier;
    }

    public void setVerifyCertificateChain(String verifyCertificateChain) {
        this.verifyCertificateChain = verifyCertificateChain;
    }

    public void setStoreKey(String storeKey) {
        this.storeKey = storeKey;
    }

    @Override
    public String toString() {
        return "KameletConnection[nip=" + nip + ", " + baseUrl + ", credentials=***]";
    }
}
