package dev.ksef.sync.bench;

import dev.ksef.sync.api.InvoicePackagePart;
import dev.ksef.sync.crypto.EncryptionData;
import dev.ksef.sync.crypto.Sha256;
import dev.ksef.sync.simulator.InvoiceCorpus;
import dev.ksef.sync.simulator.PackageBuilder;
import dev.ksef.sync.simulator.SimInvoice;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import javax.crypto.spec.SecretKeySpec;

/**
 * A package on local disk for the CPU-stage runs: built by the simulator's package builder from its invoice corpus
 * (optionally padded to reach a size), encrypted parts plus a {@code package.properties} describing them. The AES key
 * is derived from a fixed label, so a child run needs no key handed to it.
 */
final class BenchPackage {

    final Path dir;
    final int invoiceCount;
    final List<InvoicePackagePart> parts;

    private BenchPackage(Path dir, int invoiceCount, List<InvoicePackagePart> parts) {
        this.dir = dir;
        this.invoiceCount = invoiceCount;
        this.parts = parts;
    }

    static EncryptionData key() {
        byte[] material = Sha256.newDigest().digest("ksef-camel-sync benchmark package key".getBytes(StandardCharsets.US_ASCII));
        return new EncryptionData(material, Arrays.copyOf(material, 16), null);
    }

    static BenchPackage build(Path dir, int invoices, int padding, long partSize) throws IOException {
        InvoiceCorpus corpus = new InvoiceCorpus("5265877635", 42).padding(padding);
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        List<SimInvoice> all = corpus.generate(invoices, now.minusDays(10), now.minusMinutes(1));
        EncryptionData key = key();
        var built = new PackageBuilder(partSize, invoices, Long.MAX_VALUE)
                .build("bench", all, dir, new SecretKeySpec(key.keyBytes(), "AES"), key.iv(), null);
        Properties p = new Properties();
        p.setProperty("invoices", Integer.toString(built.invoiceCount()));
        p.setProperty("parts", Integer.toString(built.parts().size()));
        for (var part : built.parts()) {
            String k = "part." + part.ordinalNumber() + ".";
            p.setProperty(k + "file", part.file().getFileName().toString());
            p.setProperty(k + "size", Long.toString(part.partSize()));
            p.setProperty(k + "hash", part.partHash());
            p.setProperty(k + "encryptedSize", Long.toString(part.encryptedPartSize()));
            p.setProperty(k + "encryptedHash", part.encryptedPartHash());
        }
        try (var out = Files.newBufferedWriter(dir.resolve("package.properties"))) {
            p.store(out, "benchmark package");
        }
        return load(dir);
    }

    static BenchPackage load(Path dir) throws IOException {
        Properties p = new Properties();
        try (var in = Files.newBufferedReader(dir.resolve("package.properties"))) {
            p.load(in);
        }
        List<InvoicePackagePart> parts = new ArrayList<>();
        for (int i = 1; i <= Integer.parseInt(p.getProperty("parts")); i++) {
            String k = "part." + i + ".";
            parts.add(new InvoicePackagePart(i, p.getProperty(k + "file"), "GET", dir.resolve(p.getProperty(k + "file")).toUri().toString(),
                    Long.parseLong(p.getProperty(k + "size")), p.getProperty(k + "hash"), Long.parseLong(p.getProperty(k + "encryptedSize")),
                    p.getProperty(k + "encryptedHash"), null));
        }
        return new BenchPackage(dir, Integer.parseInt(p.getProperty("invoices")), parts);
    }

    Path file(InvoicePackagePart part) {
        return dir.resolve(part.partName());
    }

    long encryptedBytes() {
        return parts.stream().mapToLong(InvoicePackagePart::encryptedPartSize).sum();
    }
}
