package dev.ksef.sync.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ksef.sync.app.SyncApp;
import dev.ksef.sync.auth.xades.SelfSignedCertificates;
import dev.ksef.sync.auth.xades.SigningCredential;
import dev.ksef.sync.simulator.Call;
import dev.ksef.sync.simulator.Endpoint;
import dev.ksef.sync.simulator.Fault;
import dev.ksef.sync.simulator.KsefSimulator;
import dev.ksef.sync.simulator.SimInvoice;
import dev.ksef.sync.simulator.SimulatorConfig;
import jakarta.jms.TextMessage;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole sync of the four subject types with a certificate login and no KSeF token: a self-signed seal as KSeF TEST
 * accepts it, the key in a PKCS#12 file (an encrypted PEM key on PostgreSQL, see the subclass), every invoice on its
 * queue once; then KSeF revokes the session, the refresh is refused, and the bundle logs in again with the certificate.
 */
class CertificateLoginSyncTest {

    static final String PASSWORD = "correct horse battery staple";

    @TempDir
    Path dataDir;

    @TempDir
    Path certificateDir;

    Map<String, String> storeProperties() {
        return Map.of();
    }

    SelfSignedCertificates.KeyKind keyKind() {
        return SelfSignedCertificates.KeyKind.EC;
    }

    /** The login settings: the .p12 alone. */
    Map<String, String> certificateProperties(SelfSignedCertificates.WrittenFiles files) {
        return Map.of("ksef.auth.certificate", files.keystore().toString());
    }

    @Test
    void everySubjectTypeSyncsWithACertificateLoginAndARefusedRefreshLogsInAgain() throws Exception {
        SimulatorConfig config = new SimulatorConfig().maxInvoicesPerPackage(40).partSize(16_000).unlimited().hwmLag(Duration.ofSeconds(2));
        try (KsefSimulator simulator = new KsefSimulator(config).start()) {
            OffsetDateTime now = simulator.clock().now();
            simulator.corpus().generate(160, now.minusDays(3), now.minusMinutes(5));
            SigningCredential seal = SelfSignedCertificates.create(simulator.nip(), SelfSignedCertificates.Type.SEAL, keyKind(),
                    now.minusHours(1).toInstant(), now.plusDays(365).toInstant());
            var files = SelfSignedCertificates.write(seal, certificateDir, "ksef-seal", PASSWORD.toCharArray());

            SyncHarness harness = new SyncHarness(simulator, dataDir, storeProperties());
            OffsetDateTime initialFrom = now.minusDays(4);
            Map<String, String> properties = new java.util.HashMap<>(harness.properties(initialFrom));
            properties.remove("ksef.token");
            properties.putAll(certificateProperties(files));
            properties.put("ksef.auth.verify-certificate-chain", "false");
            properties.put("ksef.auth.key-password", PASSWORD);
            try (SyncApp app = SyncApp.start(properties, false)) {
                for (String subjectType : app.subjectTypes()) {
                    app.runOnce(subjectType);
                    Set<String> delivered = numbers(harness.drain(SyncHarness.QUEUES.get(subjectType)));
                    assertEquals(harness.expected(subjectType, initialFrom, simulator.currentHwm()), delivered, subjectType);
                }
                assertEquals(List.of(202), statuses(simulator, Endpoint.XADES_SIGNATURE), "one certificate login for the four");
                assertEquals(List.of(), statuses(simulator, Endpoint.KSEF_TOKEN), "no token login");
                assertTrue(simulator.calls(Endpoint.XADES_SIGNATURE).get(0).path().endsWith("/auth/xades-signature"));

                // KSeF revokes the session: the next call is refused, the refresh too, and the certificate logs in again
                List<SimInvoice> added = IntStream.range(0, 20).mapToObj(i -> simulator.corpus().add(simulator.clock().now())).toList();
                simulator.clock().advance(Duration.ofSeconds(10));
                simulator.revokeSessions();
                simulator.inject(Endpoint.EXPORT_START, Fault.httpStatus(401), 1);
                app.runOnce("Subject1");
                Set<String> newOnes = added.stream().filter(i -> i.subjectTypes().contains("Subject1"))
                        .map(SimInvoice::ksefNumber).collect(Collectors.toCollection(TreeSet::new));
                assertEquals(newOnes, numbers(harness.drain(SyncHarness.QUEUES.get("Subject1"))));
                assertEquals(List.of(400), statuses(simulator, Endpoint.REFRESH), "refresh refused after revocation");
                assertEquals(List.of(202, 202), statuses(simulator, Endpoint.XADES_SIGNATURE), "logged in again with the certificate");
                assertEquals(List.of(200, 200), statuses(simulator, Endpoint.REDEEM), "one redeem per login");
            }
        }
    }

    static List<Integer> statuses(KsefSimulator simulator, Endpoint endpoint) {
        return simulator.calls(endpoint).stream().map(Call::status).toList();
    }

    static Set<String> numbers(List<TextMessage> messages) throws Exception {
        Set<String> out = new TreeSet<>();
        for (TextMessage m : messages) {
            out.add(m.getStringProperty("ksefNumber"));
        }
        return out;
    }
}
