package dev.ksef.sync.pkg;

import dev.ksef.sync.api.InvoicePackageMetadata;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * One pass over an uncompressed tar stream (POSIX ustar, with pax {@code path}/{@code size} records and GNU long names
 * as KSeF's or any common writer may add): 512-byte headers with their checksum checked, sizes in octal (or base-256),
 * data padded to 512-byte blocks. Each entry is reported once; the bytes of {@code _metadata.json} (bounded only by
 * what the stream may inflate to) and of regular files within the caps are copied to {@code out} (where they start is
 * reported), others skipped. Directories are passed
 * over; links, devices and other non-regular entries are reported empty with a problem. A header or entry cut short,
 * a bad checksum or a size that is no number is a {@link PackageFormatException}.
 */
final class TarReader {

    /** Receives each entry: {@code position} in {@code out}, or null when its bytes were not kept. */
    interface Entries {
        void add(String name, long size, String problem, Long position);
    }

    private static final int BLOCK = 512;
    private static final int MAX_EXTENDED_HEADER = 1 << 16;

    private final InputStream in;
    private final OutputStream out;
    private final long maxEntryBytes;
    private final long maxPackageBytes;
    private final Entries entries;
    private final byte[] header = new byte[BLOCK];
    private final byte[] buffer = new byte[1 << 16];
    private long written;
    private long kept;
    private boolean metadataSeen;

    TarReader(InputStream in, OutputStream out, long maxEntryBytes, long maxPackageBytes, Entries entries) {
        this.in = in;
        this.out = out;
        this.maxEntryBytes = maxEntryBytes;
        this.maxPackageBytes = maxPackageBytes;
        this.entries = entries;
    }

    /** Reads to the end-of-archive blocks, then drains the stream (so a gzip trailer and its CRC are checked too). */
    void read() throws IOException {
        String longName = null;
        String paxPath = null;
        Long paxSize = null;
        while (true) {
            int n = in.readNBytes(header, 0, BLOCK);
            if (n == 0) {
                break; // no end-of-archive blocks: tolerated, the stream itself ended cleanly
            }
            if (n < BLOCK) {
                throw new PackageFormatException("tar archive cut short in a header");
            }
            if (allZero(header)) {
                break;
            }
            checkChecksum();
            char type = (char) header[156];
            long size = paxSize != null ? paxSize : number(124, 12, "size");
            String name = longName != null ? longName : paxPath != null ? paxPath : name();
            if (type == 'x' || type == 'L') {
                if (size > MAX_EXTENDED_HEADER) {
                    throw new PackageFormatException("tar extended header larger than " + MAX_EXTENDED_HEADER + " bytes");
                }
                byte[] data = new byte[(int) size];
                readFully(data, "extended header");
                skipPadding(size);
                if (type == 'L') {
                    longName = cString(data, 0, data.length);
                } else {
                    String[] pax = pax(data);
                    paxPath = pax[0];
                    paxSize = pax[1] == null ? null : parseSize(pax[1]);
                }
                continue;
            }
            longName = null;
            paxPath = null;
            paxSize = null;
            if (type == 'g' || type == '5') {
                skip(size); // a global pax header, a directory: nothing to deliver
            } else if (type == '0' || type == '\0' || type == '7') {
                regular(name, size);
            } else {
                skip(size);
                entries.add(name, 0, "not a regular file in the archive (tar type '" + printable(type) + "')", written);
            }
            skipPadding(size);
        }
        in.transferTo(OutputStream.nullOutputStream());
    }

    private void regular(String name, long size) throws IOException {
        boolean metadata = name.equals(InvoicePackageMetadata.FILE_NAME) && !metadataSeen;
        if (metadata || size <= maxEntryBytes && size <= maxPackageBytes - kept) {
            long position = written;
            copy(size);
            kept += metadata ? 0 : size;
            metadataSeen |= metadata;
            entries.add(name, size, null, position);
        } else {
            skip(size);
            entries.add(name, size, null, null);
        }
    }

    private void copy(long size) throws IOException {
        for (long left = size; left > 0; ) {
            int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
            if (n < 0) {
                throw new PackageFormatException("tar archive cut short in an entry");
            }
            out.write(buffer, 0, n);
            left -= n;
            written += n;
        }
    }

    private void skip(long size) throws IOException {
        for (long left = size; left > 0; ) {
            int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
            if (n < 0) {
                throw new PackageFormatException("tar archive cut short in an entry");
            }
            left -= n;
        }
    }

    private void skipPadding(long size) throws IOException {
        skip((BLOCK - size % BLOCK) % BLOCK);
    }

    private void readFully(byte[] data, String what) throws IOException {
        if (in.readNBytes(data, 0, data.length) < data.length) {
            throw new PackageFormatException("tar archive cut short in an " + what);
        }
    }

    /** The ustar name, with its prefix when the header is POSIX ustar ("ustar\0"); GNU headers keep other fields there. */
    private String name() {
        String name = cString(header, 0, 100);
        boolean posix = header[257] == 'u' && header[258] == 's' && header[259] == 't' && header[260] == 'a' && header[261] == 'r'
                && header[262] == 0;
        String prefix = posix ? cString(header, 345, 155) : "";
        return prefix.isEmpty() ? name : prefix + "/" + name;
    }

    private void checkChecksum() {
        long stored = number(148, 8, "checksum");
        long unsigned = 0;
        long signed = 0;
        for (int i = 0; i < BLOCK; i++) {
            int b = i >= 148 && i < 156 ? ' ' : header[i];
            unsigned += b & 0xff;
            signed += b;
        }
        if (stored != unsigned && stored != signed) {
            throw new PackageFormatException("tar header checksum does not match: not a tar archive or a damaged one");
        }
    }

    /** An octal field (spaces or NULs around it), or base-256 when its first byte has the high bit set (sizes over 8 GiB). */
    private long number(int offset, int length, String field) {
        if ((header[offset] & 0x80) != 0) {
            if (header[offset] != (byte) 0x80 || length > 12) {
                throw new PackageFormatException("tar header " + field + " is negative or too large");
            }
            long value = 0;
            for (int i = offset + 1; i < offset + length; i++) {
                if (value >>> 55 != 0) {
                    throw new PackageFormatException("tar header " + field + " is too large");
                }
                value = value << 8 | (header[i] & 0xff);
            }
            return value;
        }
        int i = offset;
        int end = offset + length;
        while (i < end && (header[i] == ' ' || header[i] == 0)) {
            i++;
        }
        long value = 0;
        int digits = 0;
        for (; i < end && header[i] >= '0' && header[i] <= '7'; i++, digits++) {
            value = value * 8 + header[i] - '0';
        }
        for (; i < end; i++) {
            if (header[i] != ' ' && header[i] != 0) {
                throw new PackageFormatException("tar header " + field + " is not an octal number");
            }
        }
        if (digits == 0 && !field.equals("size")) {
            throw new PackageFormatException("tar header " + field + " is empty");
        }
        return value;
    }

    /** The {@code path} and {@code size} of pax records {@code "<length> <key>=<value>\n"}; null where absent. */
    private static String[] pax(byte[] data) {
        String[] result = new String[2];
        int i = 0;
        while (i < data.length) {
            int space = i;
            while (space < data.length && data[space] != ' ') {
                space++;
            }
            int length;
            try {
                length = Integer.parseInt(new String(data, i, space - i, StandardCharsets.US_ASCII));
            } catch (NumberFormatException e) {
                throw new PackageFormatException("tar pax header record has no length");
            }
            if (length <= space - i + 1 || i + length > data.length || data[i + length - 1] != '\n') {
                throw new PackageFormatException("tar pax header record is malformed");
            }
            String record = new String(data, space + 1, i + length - space - 2, StandardCharsets.UTF_8);
            int eq = record.indexOf('=');
            if (eq > 0) {
                String key = record.substring(0, eq);
                if (key.equals("path")) {
                    result[0] = record.substring(eq + 1);
                } else if (key.equals("size")) {
                    result[1] = record.substring(eq + 1);
                }
            }
            i += length;
        }
        return result;
    }

    private static long parseSize(String value) {
        try {
            long size = Long.parseLong(value);
            if (size >= 0) {
                return size;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new PackageFormatException("tar pax size is not a size");
    }

    private static String cString(byte[] bytes, int offset, int length) {
        int end = offset;
        while (end < offset + length && bytes[end] != 0) {
            end++;
        }
        return new String(bytes, offset, end - offset, StandardCharsets.UTF_8);
    }

    private static boolean allZero(byte[] block) {
        for (byte b : block) {
            if (b != 0) {
                return false;
            }
        }
        return true;
    }

    private static String printable(char c) {
        return c >= 0x20 && c < 0x7f ? String.valueOf(c) : "?";
    }
}
