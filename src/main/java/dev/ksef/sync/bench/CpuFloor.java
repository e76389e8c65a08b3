package dev.ksef.sync.bench;

import dev.ksef.sync.api.InvoicePackagePart;
import dev.ksef.sync.crypto.EncryptionData;
import dev.ksef.sync.crypto.Sha256;
import dev.ksef.sync.export.ExportRun;
import dev.ksef.sync.pkg.InvoiceXmlCheck;
import dev.ksef.sync.pkg.PackageSpool;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Collections;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;

/**
 * The floor of the CPU stages, to read the measured figures against: each stage alone on one core over the same
 * package (encrypted-part hash, AES-256-CBC, plain-part hash, inflating every entry, each invoice's hash, its XML
 * check), added up and spread over every core with perfect overlap. Metadata binding, spool writes and all
 * coordination are left out, so no design of the pipeline can be faster on this machine.
 */
final class CpuFloor {

    private CpuFloor() {
    }

    static void run(int warmups, Path packageDir, Path work) throws Exception {
        BenchPackage pkg = BenchPackage.load(packageDir);
        PackageSpool spool = new PackageSpool(work.resolve("spool"));
        ExportRun run = StageRun.spooled(pkg, spool, "Subject1");
        Stages stages = null;
        for (int pass = 0; pass <= warmups; pass++) {
            stages = stagesOnOneCore(pkg, run.spool);
        }
        spool.discard(run, null);
        int cores = Runtime.getRuntime().availableProcessors();
        System.out.println("FLOOR " + stages.describe());
        Measure.report("cpu-stages floor (" + cores + " cores)", stages.invoices, pkg.encryptedBytes(), stages.totalNanos() / cores,
                stages.totalNanos());
    }

    /** Single-thread nanoseconds of each CPU stage over the whole package. */
    private static Stages stagesOnOneCore(BenchPackage pkg, Path archive) throws Exception {
        Stages s = new Stages();
        MessageDigest sha = Sha256.newDigest();
        int slice = 16 * 1024; // as the part stream calls the cipher
        EncryptionData key = BenchPackage.key();
        for (InvoicePackagePart part : pkg.parts) {
            byte[] encrypted = Files.readAllBytes(pkg.file(part));
            long t = System.nanoTime();
            sha.digest(encrypted);
            s.encryptedHash += System.nanoTime() - t;
            Cipher aes = Cipher.getInstance("AES/CBC/PKCS5Padding");
            aes.init(Cipher.DECRYPT_MODE, key.secretKey(), new IvParameterSpec(key.iv()));
            byte[] plain = new byte[encrypted.length];
            t = System.nanoTime();
            int n = 0;
            for (int off = 0; off < encrypted.length; off += slice) {
                n += aes.update(encrypted, off, Math.min(slice, encrypted.length - off), plain, n);
            }
            n += aes.doFinal(plain, n);
            s.aes += System.nanoTime() - t;
            t = System.nanoTime();
            sha.update(plain, 0, n);
            sha.digest();
            s.plainHash += System.nanoTime() - t;
            s.encryptedBytes += encrypted.length;
        }
        InvoiceXmlCheck check = new InvoiceXmlCheck();
        try (ZipFile zip = new ZipFile(archive.toFile())) {
            for (ZipEntry entry : Collections.list(zip.entries())) {
                long t = System.nanoTime();
                byte[] bytes;
                try (InputStream in = zip.getInputStream(entry)) {
                    bytes = in.readAllBytes();
                }
                s.inflate += System.nanoTime() - t;
                s.inflatedBytes += bytes.length;
                if (entry.getName().endsWith(".xml")) {
                    t = System.nanoTime();
                    sha.digest(bytes);
                    s.invoiceHash += System.nanoTime() - t;
                    t = System.nanoTime();
                    if (check.problem(bytes) != null) {
                        throw new IllegalStateException("benchmark package has a bad invoice: " + entry.getName());
                    }
                    s.xmlCheck += System.nanoTime() - t;
                    s.invoices++;
                    s.xmlBytes += bytes.length;
                }
            }
        }
        return s;
    }

    private static final class Stages {
        long encryptedHash, aes, plainHash, inflate, invoiceHash, xmlCheck;
        long encryptedBytes, inflatedBytes, xmlBytes, invoices;

        long totalNanos() {
            return encryptedHash + aes + plainHash + inflate + invoiceHash + xmlCheck;
        }

        String describe() {
            return String.format("one core: encrypted-part SHA-256 %s, AES-256-CBC %s, plain-part SHA-256 %s (of %.1f MB encrypted); "
                            + "inflate %s (of %.1f MB out); invoice SHA-256 %s, XML check %s (of %.1f MB of XML); "
                            + "%.2f core-seconds in all", rate(encryptedBytes, encryptedHash), rate(encryptedBytes, aes),
                    rate(encryptedBytes, plainHash), encryptedBytes / 1e6, rate(inflatedBytes, inflate), inflatedBytes / 1e6,
                    rate(xmlBytes, invoiceHash), rate(xmlBytes, xmlCheck), xmlBytes / 1e6, totalNanos() / 1e9);
        }

        private static String rate(long bytes, long nanos) {
            return String.format("%.0f MB/s %d ms", bytes * 1e3 / Math.max(1, nanos), nanos / 1_000_000);
        }
    }
}
