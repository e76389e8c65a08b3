package dev.ksef.sync.e2e;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ksef.sync.simulator.Endpoint;
import dev.ksef.sync.simulator.Fault;
import dev.ksef.sync.simulator.Fault.Tamper;
import jakarta.jms.BytesMessage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A package archive that disagrees with itself: what disagrees goes to the quarantine queue with its reason, the rest
 * of the package is delivered, and the continuation point moves on (the odd one is kept, not lost).
 */
class PackageIntegrityTest {

    @TempDir
    Path dataDir;

    /** Each tampering, in a Zip and in a TarGz package. */
    static Stream<Arguments> tamperings() {
        return Stream.of(Tamper.values()).flatMap(t -> Stream.of(Arguments.of(t, "Zip"), Arguments.of(t, "TarGz")));
    }

    @ParameterizedTest(name = "{0} in a {1} package")
    @MethodSource("tamperings")
    void whatDisagreesIsQuarantinedWithItsReasonAndTheRestDelivered(Tamper tamper, String compression) throws Exception {
        try (FaultFixture f = FaultFixture.start(dataDir, FaultFixture.smallParts(),
                Map.of("ksef.package.max-invoice-bytes", "1048576", "ksef.export.compression", compression))) {
            f.simulator.inject(Endpoint.EXPORT_START, Fault.tamperedPackage(tamper), 1);
            f.run();

            List<BytesMessage> quarantined = f.quarantine();
            assertEquals(1, quarantined.size(), "one quarantine message");
            BytesMessage odd = quarantined.get(0);
            byte[] kept = odd.getBodyLength() == 0 ? new byte[0] : odd.getBody(byte[].class); // JMS: no body reads as null
            byte[] held = switch (tamper) {
                case MISSING_INVOICE, OVERSIZED_ENTRY -> new byte[0]; // nothing, or nothing read
                case UNLISTED_ENTRY, PATH_ENTRY -> "<Faktura/>".getBytes(java.nio.charset.StandardCharsets.UTF_8);
                case WRONG_INVOICE_HASH -> stored(f, odd);
                case MALFORMED_XML -> half(stored(f, odd)); // the simulator cut it in half
            };
            assertArrayEquals(held, kept, "the quarantined bytes are exactly what the package held");
            String reason = odd.getStringProperty("ksefQuarantineReason");
            assertTrue(reason.contains(expectedReason(tamper)), reason);
            assertEquals(FaultFixture.SUBJECT, odd.getStringProperty("ksefSubjectType"));

            Set<String> delivered = IncrementalSyncTest.numbers(f.harness.drain(SyncHarness.QUEUES.get(FaultFixture.SUBJECT)));
            Set<String> expected = new TreeSet<>(f.expected());
            if (Set.of(Tamper.WRONG_INVOICE_HASH, Tamper.MALFORMED_XML, Tamper.MISSING_INVOICE).contains(tamper)) {
                assertTrue(expected.remove(odd.getStringProperty("ksefNumber")), "a listed invoice of the window was quarantined");
            }
            assertEquals(expected, delivered, "everything else delivered");
            assertTrue(f.continuationPoint().isPresent(), "the continuation point moved on");
            assertEquals(List.of("DONE"), f.exportResults());
            assertEquals(List.of("1"), f.column("SELECT quarantined FROM export_run"));
            // nothing written by entry name: not in the data directory, nor where ../../evil.xml would land from its
            // folders (the temp directory is not walked: other processes create and delete files there meanwhile)
            try (Stream<Path> files = Files.walk(dataDir)) {
                assertFalse(files.anyMatch(p -> p.getFileName().toString().equals("evil.xml")), "nothing written by entry name");
            }
            for (Path near : List.of(dataDir.getParent(), dataDir.getParent().getParent(), Path.of("").toAbsolutePath())) {
                assertFalse(Files.exists(near.resolve("evil.xml")), "nothing written by entry name in " + near);
            }
        }
    }

    private static byte[] stored(FaultFixture f, BytesMessage message) throws Exception {
        return f.simulator.corpus().find(message.getStringProperty("ksefNumber")).xml();
    }

    private static byte[] half(byte[] bytes) {
        return java.util.Arrays.copyOf(bytes, bytes.length / 2);
    }

    private static String expectedReason(Tamper tamper) {
        return switch (tamper) {
            case WRONG_INVOICE_HASH -> "SHA-256 does not match invoiceHash";
            case MALFORMED_XML -> "not well-formed XML";
            case MISSING_INVOICE -> "listed in _metadata.json but missing from the archive";
            case UNLISTED_ENTRY -> "in the archive but not in _metadata.json";
            case PATH_ENTRY -> "entry name with a path in the archive: ../../evil.xml";
            case OVERSIZED_ENTRY -> "entry larger than 1048576 bytes";
        };
    }
}
