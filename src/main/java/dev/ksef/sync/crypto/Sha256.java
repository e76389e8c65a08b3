package dev.ksef.sync.crypto;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/** SHA-256 in the form KSeF uses everywhere: standard base64 of the 32-byte digest (44 characters). */
public final class Sha256 {

    private Sha256() {
    }

    public static MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 missing from the JDK", e);
        }
    }

    public static String base64(byte[] data) {
        return Base64.getEncoder().encodeToString(newDigest().digest(data));
    }

    public static String base64(MessageDigest finishedDigest) {
        return Base64.getEncoder().encodeToString(finishedDigest.digest());
    }

    public static String base64(Path file) throws IOException {
        MessageDigest digest = newDigest();
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buffer = new byte[64 * 1024];
            for (int n; (n = in.read(buffer)) > 0; ) {
                digest.update(buffer, 0, n);
            }
        }
        return base64(digest);
    }
}
