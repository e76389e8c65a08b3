package dev.ksef.sync.app;

import dev.ksef.sync.KsefConfigurationException;
import java.io.IOException;
import java.io.InputStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Properties;
import java.util.Set;
import org.apache.activemq.artemis.core.security.CheckType;
import org.apache.activemq.artemis.core.security.Role;
import org.apache.activemq.artemis.spi.core.security.ActiveMQSecurityManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one login of the embedded broker, asked of every connection (the in-VM one of the sync and outside consumers on
 * the TCP acceptor alike), allowed everything once logged in: {@code ksef.jms.user} / {@code ksef.jms.password} when
 * the password is set, else the password generated at the first start into {@code <data-dir>/broker-credentials.properties}
 * (owner-only, its path logged once; never the password) and read from there on every later start.
 */
final class BrokerLogin implements ActiveMQSecurityManager {

    static final String FILE = "broker-credentials.properties";
    static final String DEFAULT_USER = "ksef";
    private static final Logger LOG = LoggerFactory.getLogger(Broker.class);

    private final String user;
    private final String password;
    private final Path file;

    private BrokerLogin(String user, String password, Path file) {
        this.user = user;
        this.password = password;
        this.file = file;
    }

    /** The configured login, or the one of {@code <dataDir>/broker-credentials.properties} (made now when missing). */
    static BrokerLogin of(String user, String password, Path dataDir) throws IOException {
        String name = user == null || user.isBlank() ? DEFAULT_USER : user.strip();
        if (password != null && !password.isBlank()) {
            return new BrokerLogin(name, password, null);
        }
        Path file = dataDir.resolve(FILE);
        if (Files.exists(file)) {
            Properties stored = new Properties();
            try (InputStream in = Files.newInputStream(file)) {
                stored.load(in);
            }
            String generated = stored.getProperty("password", "");
            if (generated.isBlank()) {
                throw new KsefConfigurationException(file.toAbsolutePath() + " holds no password: delete it to have one generated, "
                        + "or set ksef.jms.password (KSEF_JMS_PASSWORD)");
            }
            if (!name.equals(stored.getProperty("user"))) {
                write(file, name, generated); // ksef.jms.user changed: the file names the user outside consumers log in as
            }
            return new BrokerLogin(name, generated, file);
        }
        byte[] random = new byte[24];
        new SecureRandom().nextBytes(random);
        String generated = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        Files.createDirectories(dataDir);
        write(file, name, generated);
        LOG.info("Embedded broker: a password for user {} was generated into {} (readable by this user only); outside consumers "
                + "log in with it, or set ksef.jms.user and KSEF_JMS_PASSWORD", name, file.toAbsolutePath());
        return new BrokerLogin(name, generated, file);
    }

    /** Written to a fresh owner-only file, then moved in place: the password is never readable by others. */
    private static void write(Path file, String user, String password) throws IOException {
        Path fresh = file.resolveSibling(FILE + ".new");
        Files.deleteIfExists(fresh);
        try {
            Files.createFile(fresh, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException notPosix) {
            Files.createFile(fresh);
            fresh.toFile().setReadable(false, false);
            fresh.toFile().setReadable(true, true);
        }
        try (Writer out = Files.newBufferedWriter(fresh, StandardCharsets.UTF_8)) {
            out.write("# the embedded broker's login for outside consumers (tcp://127.0.0.1:<ksef.jms.embedded-port>)\n");
            out.write("user=" + user + "\npassword=" + password + "\n");
        }
        Files.move(fresh, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    String user() {
        return user;
    }

    String password() {
        return password;
    }

    /** The generated file, or null when the login is configured. */
    Path file() {
        return file;
    }

    @Override
    public boolean validateUser(String candidateUser, String candidatePassword) {
        return user.equals(candidateUser) && candidatePassword != null
                && MessageDigest.isEqual(password.getBytes(StandardCharsets.UTF_8), candidatePassword.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public boolean validateUserAndRole(String candidateUser, String candidatePassword, Set<Role> roles, CheckType checkType) {
        return validateUser(candidateUser, candidatePassword);
    }

    @Override
    public String toString() {
        return "BrokerLogin[" + user + ", ***]";
    }
}
