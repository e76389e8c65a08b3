package dev.ksef.sync.bench;

import dev.ksef.sync.api.InvoiceMetadata;
import dev.ksef.sync.api.InvoicePackageMetadata;
import dev.ksef.sync.api.InvoicePackagePart;
import dev.ksef.sync.api.KsefJson;
import dev.ksef.sync.crypto.EncryptionData;
import dev.ksef.sync.crypto.Sha256;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;

/**
 * The approach of the official SDKs, for comparison: every part as a byte array, decrypted into another, all merged
 * into one array, unzipped into a map of file name to String, then the metadata read and each invoice's hash checked.
 * The same checks as the pipeline but XML well-formedness (which the SDKs do not check).
 */
final class InMemoryBaseline {

    private InMemoryBaseline() {
    }

    static Map<String, String> process(List<InvoicePackagePart> parts, List<byte[]> encrypted, EncryptionData key) throws Exception {
        ByteArrayOutputStream merged = new ByteArrayOutputStream();
        for (int i = 0; i < parts.size(); i++) {
            InvoicePackagePart part = parts.get(i);
            byte[] bytes = encrypted.get(i);
            if (bytes.length != part.encryptedPartSize() || !Sha256.base64(bytes).equals(part.encryptedPartHash())) {
                throw new IllegalStateException("part " + part.ordinalNumber() + " fails its encrypted checks");
            }
            Cipher aes = Cipher.getInstance("AES/CBC/PKCS5Padding");
            aes.init(Cipher.DECRYPT_MODE, key.secretKey(), new IvParameterSpec(key.iv()));
            byte[] plain = aes.doFinal(bytes);
            if (plain.length != part.partSize() || !Sha256.base64(plain).equals(part.partHash())) {
                throw new IllegalStateException("part " + part.ordinalNumber() + " fails its plain checks");
            }
            merged.write(plain);
        }
        Map<String, String> files = new HashMap<>();
        try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(merged.toByteArray()))) {
            for (ZipEntry e; (e = zip.getNextEntry()) != null; ) {
                files.put(e.getName(), new String(zip.readAllBytes(), StandardCharsets.UTF_8));
            }
        }
        var metadata = KsefJson.mapper().readValue(files.remove(InvoicePackageMetadata.FILE_NAME), InvoicePackageMetadata.class);
        for (InvoiceMetadata m : metadata.invoices()) {
            String xml = files.get(m.ksefNumber() + ".xml");
            if (xml == null || !Sha256.base64(xml.getBytes(StandardCharsets.UTF_8)).equals(m.invoiceHash())) {
                throw new IllegalStateException("invoice " + m.ksefNumber() + " fails its hash check");
            }
        }
        return files;
    }
}
