package dev.ksef.sync;

import java.net.URI;

/**
 * The KSeF base URL must be HTTPS, verified by the JVM's trust store (the bundle installs no trust manager of its
 * own). Plain HTTP is accepted only on the loopback interface, where the simulator runs.
 */
public final class KsefBaseUrl {

    private KsefBaseUrl() {
    }

    public static String require(String baseUrl) {
        URI uri;
        try {
            uri = URI.create(baseUrl == null ? "" : baseUrl.strip());
        } catch (IllegalArgumentException e) {
            throw new KsefConfigurationException("ksef.base-url is not a URL: " + baseUrl, e);
        }
        String host = uri.getHost() == null ? "" : uri.getHost();
        boolean loopback = host.equals("localhost") || host.startsWith("127.") || host.equals("[::1]") || host.equals("::1");
        if ("https".equalsIgnoreCase(uri.getScheme()) || ("http".equalsIgnoreCase(uri.getScheme()) && loopback)) {
            return baseUrl;
        }
        throw new KsefConfigurationException("ksef.base-url must be https:// (plain http only for a simulator on the loopback interface): "
                + baseUrl);
    }
}
