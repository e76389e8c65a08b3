package dev.ksef.sync.pkg;

import dev.ksef.sync.api.InvoicePackageMetadata;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;

/**
 * A {@code TarGz} package. A gzip stream has no random access and a tar no central directory, so the spool is read
 * once, front to back, before any batch ({@link TarReader}): every entry's header is checked, {@code _metadata.json}
 * (wherever it lies) and each regular file within the caps are copied to a side file next to the spool, uncompressed,
 * the rest skipped, and the gzip CRC checked at the end. The batches then read entries from the side file by position,
 * concurrently, each exactly its declared size. Disk: the spool plus at most the package cap and the metadata; memory:
 * one small record per entry, as for a ZIP's central directory. An archive that is no tar.gz, is cut short, fails its
 * CRC or inflates far past the package cap is a {@link PackageFormatException} (the package is kept in quarantine).
 */
final class TarGzArchive implements PackageArchive {

    /** The ending of the side files, named {@code <spool>.<random>.entries}. */
    static final String SIDE_FILE_SUFFIX = ".entries";

    private final Path sideFile;
    private final List<Entry> entries = new ArrayList<>();
    private final Map<String, Entry> byName = new HashMap<>();
    private final Map<Entry, Long> positions = new IdentityHashMap<>();
    private final long maxPackageBytes;
    private FileChannel channel;

    private TarGzArchive(Path sideFile, long maxPackageBytes) {
        this.sideFile = sideFile;
        this.maxPackageBytes = maxPackageBytes;
    }

    /** True when the file starts like a gzip stream (0x1f 0x8b), the way KSeF's TarGz packages are told from ZIPs. */
    static boolean isGzip(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return in.read() == 0x1f && in.read() == 0x8b;
        }
    }

    /**
     * Reads the archive once into {@code <spool>.<random>.entries} (readable by this user only), keeping entries up to
     * {@code maxEntryBytes}, {@code maxPackageBytes} in all. Each reading has a side file of its own: one still closing
     * on its read-ahead thread never removes the next one's.
     */
    static TarGzArchive open(Path spool, long maxEntryBytes, long maxPackageBytes) throws IOException {
        Path side = Files.createTempFile(spool.toAbsolutePath().getParent(), spool.getFileName() + ".", SIDE_FILE_SUFFIX);
        TarGzArchive archive = new TarGzArchive(side, maxPackageBytes);
        long inflateCap = maxPackageBytes > Long.MAX_VALUE / 4 ? Long.MAX_VALUE : 2 * maxPackageBytes + (1 << 20);
        try (InputStream in = new GZIPInputStream(new BufferedInputStream(Files.newInputStream(spool), 1 << 16), 1 << 16);
             OutputStream out = new BufferedOutputStream(Files.newOutputStream(archive.sideFile), 1 << 16)) {
            new TarReader(new CappedInputStream(in, inflateCap), out, maxEntryBytes, maxPackageBytes, archive::add).read();
            archive.channel = FileChannel.open(archive.sideFile, StandardOpenOption.READ);
            return archive;
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(archive.sideFile);
            if (e instanceof PackageFormatException p) {
                throw p;
            }
            throw new PackageFormatException("not a readable tar.gz: " + e.getMessage());
        }
    }

    /** {@code position} in the side file, or null when the entry's bytes were not kept. */
    private void add(String name, long size, String problem, Long position) {
        Entry entry = new Entry(name, size, problem == null && byName.containsKey(name) ? "entry name repeated in the archive" : problem);
        entries.add(entry);
        byName.putIfAbsent(name, entry);
        if (position != null) {
            positions.put(entry, position);
        }
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
        return java.nio.channels.Channels.newInputStream(new RegionChannel(channel, positions.get(entry(InvoicePackageMetadata.FILE_NAME)),
                entry(InvoicePackageMetadata.FILE_NAME).size()));
    }

    @Override
    public byte[] read(Entry entry) throws IOException {
        Long position = positions.get(entry);
        if (position == null) {
            throw new IOException("not kept: the package is larger than " + maxPackageBytes + " bytes uncompressed");
        }
        ByteBuffer bytes = ByteBuffer.allocate((int) entry.size());
        while (bytes.hasRemaining()) {
            if (channel.read(bytes, position + bytes.position()) < 0) {
                throw new EOFException("side file cut short");
            }
        }
        return bytes.array();
    }

    @Override
    public void close() throws IOException {
        try {
            if (channel != null) {
                channel.close();
            }
        } finally {
            Files.deleteIfExists(sideFile);
        }
    }

    /** Stops with a {@link PackageFormatException} once more than {@code cap} bytes come out: a gzip bomb. */
    private static final class CappedInputStream extends java.io.FilterInputStream {
        private final long cap;
        private long count;

        CappedInputStream(InputStream in, long cap) {
            super(in);
            this.cap = cap;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = in.read(b, off, len);
            if (n > 0 && (count += n) > cap) {
                throw new PackageFormatException("the archive inflates to more than " + cap + " bytes");
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            int k = (int) Math.min(n, 8192);
            return Math.max(0, read(new byte[k], 0, k));
        }
    }

    /** A read-only window of the side file with its own position, so streams and positional reads do not interfere. */
    private static final class RegionChannel implements java.nio.channels.ReadableByteChannel {
        private final FileChannel channel;
        private long position;
        private final long end;

        RegionChannel(FileChannel channel, long start, long size) {
            this.channel = channel;
            this.position = start;
            this.end = start + size;
        }

        @Override
        public int read(ByteBuffer dst) throws IOException {
            if (position >= end) {
                return -1;
            }
            ByteBuffer window = dst.slice(dst.position(), (int) Math.min(dst.remaining(), end - position));
            int n = channel.read(window, position);
            if (n > 0) {
                position += n;
                dst.position(dst.position() + n);
            }
            return n;
        }

        @Override
        public boolean isOpen() {
            return channel.isOpen();
        }

        @Override
        public void close() {
            // the archive closes the side file
        }
    }
}
