package dev.ksef.sync;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Where decrypted packages wait while they are read: {@code ksef.spool-dir}, else {@code spool} under
 * {@code ksef.data-dir}, else a directory of the JVM's temporary directory. Always an absolute path (a host's working
 * directory is nobody's choice) and, where the file system allows, readable by the owner only: the spool holds
 * invoices in clear.
 */
public final class SpoolDirectory {

    private SpoolDirectory() {
    }

    public static Path resolve(String spoolDir, String dataDir) {
        Path dir = !spoolDir.isBlank() ? Path.of(spoolDir.strip())
                : !dataDir.isBlank() ? Path.of(dataDir.strip()).resolve("spool")
                : Path.of(System.getProperty("java.io.tmpdir"), "ksef-camel-sync-spool-" + System.getProperty("user.name", "user"));
        dir = dir.toAbsolutePath().normalize();
        try {
            Files.createDirectories(dir);
            if (Files.getFileStore(dir).supportsFileAttributeView("posix")) {
                Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
            }
        } catch (IOException | UnsupportedOperationException e) {
            throw new KsefConfigurationException("ksef.spool-dir: cannot create " + dir + " (" + e.getClass().getSimpleName() + ")");
        }
        return dir;
    }
}
