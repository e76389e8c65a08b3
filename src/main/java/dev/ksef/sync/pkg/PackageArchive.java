package dev.ksef.sync.pkg;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;

/**
 * A spooled, decrypted package archive as {@link PackageBatches} reads it: its entries (name and uncompressed size,
 * known before any is read), a fresh stream of {@code _metadata.json}, and an entry's bytes, read on any thread and
 * held to the size the entry declares. {@link ZipArchive} for {@code Zip} packages, {@link TarGzArchive} for {@code TarGz}.
 */
interface PackageArchive extends Closeable {

    /**
     * One entry: {@code size} as declared (what a read is held to), {@code problem} what the archive itself shows wrong
     * with it (a tar entry that is no regular file, a repeated name), else null.
     */
    record Entry(String name, long size, String problem) {
    }

    /** The first entry of that name, or null. */
    Entry entry(String name);

    /** Every entry, in archive order. */
    List<Entry> entries();

    /** A new stream of {@code _metadata.json}; the caller checked it exists with {@link #entry}. */
    InputStream metadata() throws IOException;

    /** The entry's bytes, exactly its declared size; an {@link IOException} when it holds more or cannot be read. */
    byte[] read(Entry entry) throws IOException;
}
