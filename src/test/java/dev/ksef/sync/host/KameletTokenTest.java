package dev.ksef.sync.host;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ksef.sync.FreePort;
import dev.ksef.sync.simulator.Endpoint;
import dev.ksef.sync.simulator.KsefSimulator;
import dev.ksef.sync.simulator.SimInvoice;
import dev.ksef.sync.simulator.SimulatorConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Kamelet alone connects the bundle: no {@code ksef.nip} and no credential in the host's settings, the NIP and the
 * KSeF token only as the Kamelet's parameters; every seller invoice reaches the host's endpoint.
 */
class KameletTokenTest {

    @TempDir
    Path dir;

    @Test
    void theKameletsNipAndTokenAreAllTheBundleNeeds() throws Exception {
        InvoiceLedger.RECEIVED.clear();
        SimulatorConfig config = new SimulatorConfig().maxInvoicesPerPackage(40).partSize(16_000).unlimited().hwmLag(Duration.ofSeconds(1));
        try (KsefSimulator simulator = new KsefSimulator(config).start()) {
            OffsetDateTime now = simulator.clock().now();
            simulator.corpus().generate(60, now.minusDays(3), now.minusMinutes(5));
            Map<String, String> environment = new HashMap<>(PlatformHost.environment(dir, simulator.nip(), simulator.baseUrl(), FreePort.next()));
            environment.put("camel.main.routes-include-pattern", "classpath:host/kamelet-only/*.yaml,classpath:ksef-sync/routes/*.camel.yaml");
            environment.put("ksef.nip", "");
            environment.put("ksef.auth.certificate", "");
            environment.put("ksef.auth.private-key", "");
            environment.put("platform.ksef.token", simulator.ksefToken());
            Set<String> expected = simulator.corpus().select("Subject1", now.minusDays(5), simulator.currentHwm()).stream()
                    .map(SimInvoice::ksefNumber).collect(Collectors.toCollection(TreeSet::new));
            try (PlatformHost host = PlatformHost.start(environment)) {
                await().atMost(Duration.ofSeconds(60)).until(() -> InvoiceLedger.RECEIVED.keySet().containsAll(expected));
            }
            assertEquals(expected, InvoiceLedger.delivered().keySet());
            assertEquals(0, simulator.calls(Endpoint.XADES_SIGNATURE).size(), "no certificate login");
            assertEquals(1, simulator.calls(Endpoint.KSEF_TOKEN).stream().filter(c -> c.status() == 202).count(), "one token login");
        }
    }
}
