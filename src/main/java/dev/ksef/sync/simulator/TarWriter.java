package dev.ksef.sync.simulator;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Writes a POSIX ustar archive of regular files, the way a TarGz export package holds them: a 512-byte header per
 * file (name, mode, size and mtime in octal, checksum, magic {@code ustar\0} version {@code 00}), the data padded to
 * 512-byte blocks, two zero blocks at the end. Names are at most 100 bytes (KSeF's {@code {ksefNumber}.xml} are 40).
 */
final class TarWriter {

    private static final int BLOCK = 512;

    private final OutputStream out;
    private final long mtime;

    TarWriter(OutputStream out, long mtimeSeconds) {
        this.out = out;
        this.mtime = mtimeSeconds;
    }

    void file(String name, byte[] data) throws IOException {
        byte[] header = new byte[BLOCK];
        byte[] n = name.getBytes(StandardCharsets.UTF_8);
        if (n.length > 100) {
            throw new IllegalArgumentException("tar name over 100 bytes: " + name);
        }
        System.arraycopy(n, 0, header, 0, n.length);
        octal(header, 100, 8, 0644);
        octal(header, 108, 8, 0);
        octal(header, 116, 8, 0);
        octal(header, 124, 12, data.length);
        octal(header, 136, 12, mtime);
        java.util.Arrays.fill(header, 148, 156, (byte) ' ');
        header[156] = '0';
        System.arraycopy("ustar\u000000".getBytes(StandardCharsets.US_ASCII), 0, header, 257, 8);
        long sum = 0;
        for (byte b : header) {
            sum += b & 0xff;
        }
        octal(header, 148, 7, sum);
        header[155] = ' ';
        out.write(header);
        out.write(data);
        out.write(new byte[(BLOCK - data.length % BLOCK) % BLOCK]);
    }

    /** The two zero blocks that end the archive. */
    void finish() throws IOException {
        out.write(new byte[2 * BLOCK]);
    }

    /** {@code length - 1} octal digits, zero-padded, then NUL. */
    private static void octal(byte[] header, int offset, int length, long value) {
        String digits = String.format("%0" + (length - 1) + "o", value);
        System.arraycopy(digits.getBytes(StandardCharsets.US_ASCII), 0, header, offset, length - 1);
        header[offset + length - 1] = 0;
    }
}
