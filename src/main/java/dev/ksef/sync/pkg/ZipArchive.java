package dev.ksef.sync.pkg;

import dev.ksef.sync.api.InvoicePackageMetadata;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * A {@code Zip} package: entries and sizes from the central directory, each entry read by random access (concurrently
 * on the check threads) and held to the size its central-directory record declares, so one that inflates to more (a
 * zip bomb: its header lies) is refused.
 */
final class ZipArchive implements PackageArchive {

    private final ZipFile zip;
    private final List<Entry> entries = new ArrayList<>();
    private final Map<String, Entry> byName = new HashMap<>();

    ZipArchive(Path file) throws IOException {
        zip = new ZipFile(file.toFile());
        zip.stream().forEach(e -> {
            Entry entry = new Entry(e.getName(), e.getSize(), null);
            entries.add(entry);
            byName.putIfAbsent(entry.name(), entry);
        });
    }

    @Override
    public Entry entry(String name) {
        return byName.get(name);
    }

    @Override
    public List<Entry> entries() {
        return entries;
    }

    @Override
    public InputStream metadata() throws IOException {
        return zip.getInputStream(zip.getEntry(InvoicePackageMetadata.FILE_NAME));
    }

    @Override
    public byte[] read(Entry entry) throws IOException {
        ZipEntry zipEntry = zip.getEntry(entry.name());
        try (InputStream in = zip.getInputStream(zipEntry)) {
            byte[] bytes = new byte[(int) entry.size()];
            int n = in.readNBytes(bytes, 0, bytes.length);
            if (in.read() != -1) {
                throw new IOException("inflates to more than the " + bytes.length + " bytes its header declares");
            }
            return n == bytes.length ? bytes : java.util.Arrays.copyOf(bytes, n);
        }
    }

    @Override
    public void close() throws IOException {
        zip.close();
    }
}
