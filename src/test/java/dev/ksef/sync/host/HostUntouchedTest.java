package dev.ksef.sync.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ksef.sync.FreePort;
import jakarta.jms.ConnectionFactory;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import javax.sql.DataSource;
import org.apache.camel.CamelContext;
import org.apache.camel.CamelExecutionException;
import org.apache.camel.component.http.HttpComponent;
import org.apache.camel.component.properties.PropertiesComponent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bundle is a guest: the same platform host with and without it has the same name, stream caching, shutdown
 * timeout, property resolution, http component settings, JVM system properties and beans of its own, and its routes
 * keep their own error handling (the bundle's route configuration is named and reaches only the bundle's routes).
 */
class HostUntouchedTest {

    @TempDir
    Path dir;

    @Test
    void theBundleLeavesTheHostsSettingsBeansAndRoutesAsTheyWere() throws Exception {
        Map<String, String> environment = PlatformHost.environment(dir, "5265877635", "https://api-test.ksef.mf.gov.pl/v2", FreePort.next());

        Map<String, String> systemBefore = systemProperties();
        Map<String, Object> baseline;
        Map<String, String> baselineSystem;
        try (PlatformHost host = PlatformHost.start(with(environment, "classpath:host/baseline/*.yaml"))) {
            baseline = settings(host.context());
            baselineSystem = systemProperties();
        }
        Map<String, String> withBundle = with(environment, "classpath:host/minimal/*.yaml,classpath:ksef-sync/routes/*.camel.yaml");
        // a second route from the template by properties alone
        withBundle.put("camel.route-template[platform-ksef-buyer].template-id", "ksef-sync");
        withBundle.put("camel.route-template[platform-ksef-buyer].subjectType", "Subject2");
        withBundle.put("camel.route-template[platform-ksef-buyer].autoStartup", "false");
        try (PlatformHost host = PlatformHost.start(withBundle)) {
            CamelContext context = host.context();
            assertNotNull(context.getRoute("platform-ksef-seller"), "the bundle is there: the template made the host's route");
            assertNotNull(context.getRoute("platform-ksef-buyer"), "camel.route-template[<routeId>].* made a route too");
            assertNotNull(context.getRoute("ksef-reconcile-schedule"), "a host has the reconciliation's cron route");
            assertEquals(baseline, settings(context), "the host's settings");
            assertEquals(Map.of(), difference(baselineSystem, systemProperties()), "no JVM system property set by the bundle");

            assertSame(context.getRegistry().lookupByName("platformDataSource"), single(context, DataSource.class), "no DataSource of the bundle's");
            assertSame(context.getRegistry().lookupByName("platformConnectionFactory"), single(context, ConnectionFactory.class),
                    "no ConnectionFactory of the bundle's");

            assertNull(context.getRoute("platform-echo").getConfigurationId(), "the host's route has no route configuration of the bundle's");
            assertEquals("ksef-route-configuration", context.getRoute("platform-ksef-seller").getConfigurationId());
            assertEquals("echo x", context.createProducerTemplate().requestBody("direct:platform-echo", "x", String.class));
            CamelExecutionException failure = org.junit.jupiter.api.Assertions.assertThrows(CamelExecutionException.class,
                    () -> context.createProducerTemplate().requestBody("direct:platform-fail", "x"));
            assertEquals("the platform's own failure", failure.getCause().getMessage(), "the host's error handling, not the bundle's");
            assertEquals(0, exchangesTotal(context, "ksef-run-failed"), "the bundle's failure route never saw the host's exchange");
        }
        assertTrue(systemProperties().keySet().containsAll(systemBefore.keySet()));
    }

    private static Map<String, String> with(Map<String, String> environment, String routes) {
        Map<String, String> out = new HashMap<>(environment);
        out.put("camel.main.routes-include-pattern", routes);
        return out;
    }

    private static Map<String, Object> settings(CamelContext context) {
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("name", context.getName());
        settings.put("streamCaching", context.isStreamCaching());
        settings.put("shutdownTimeout", context.getShutdownStrategy().getTimeout());
        PropertiesComponent properties = (PropertiesComponent) context.getPropertiesComponent();
        settings.put("environmentVariableMode", properties.getEnvironmentVariableMode());
        settings.put("systemPropertiesMode", properties.getSystemPropertiesMode());
        settings.put("locations", properties.getLocations());
        HttpComponent http = context.getComponent("http", HttpComponent.class);
        settings.put("http.connectTimeout", http.getConnectTimeout());
        settings.put("http.automaticRetriesDisabled", http.isAutomaticRetriesDisabled());
        settings.put("http.responseTimeout", http.getResponseTimeout());
        return settings;
    }

    private static <T> T single(CamelContext context, Class<T> type) {
        var all = context.getRegistry().findByType(type);
        assertEquals(1, all.size(), type.getSimpleName() + " beans: " + all);
        return all.iterator().next();
    }

    private static long exchangesTotal(CamelContext context, String routeId) throws Exception {
        var managed = context.getCamelContextExtension().getContextPlugin(org.apache.camel.api.management.ManagedCamelContext.class)
                .getManagedRoute(routeId);
        assertNotNull(managed, "JMX statistics of " + routeId);
        return managed.getExchangesTotal();
    }

    /** The properties {@code after} adds or changes. */
    private static Map<String, String> difference(Map<String, String> before, Map<String, String> after) {
        Map<String, String> changed = new TreeMap<>();
        after.forEach((k, v) -> {
            if (!v.equals(before.get(k))) {
                changed.put(k, v);
            }
        });
        return changed;
    }

    private static Map<String, String> systemProperties() {
        Map<String, String> out = new TreeMap<>();
        System.getProperties().stringPropertyNames().forEach(k -> out.put(k, System.getProperty(k)));
        return out;
    }
}
