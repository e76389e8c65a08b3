package dev.ksef.sync.e2e;

import dev.ksef.sync.auth.xades.SelfSignedCertificates;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;

/** The certificate-login sync with the state in PostgreSQL, an RSA key, and a PEM certificate with its encrypted PKCS#8 key. */
class PostgresCertificateLoginSyncTest extends CertificateLoginSyncTest {

    @BeforeEach
    void cleanSchema() throws Exception {
        try (Connection c = DriverManager.getConnection(PostgresIncrementalSyncTest.URL, PostgresIncrementalSyncTest.USER, null);
             Statement s = c.createStatement()) {
            s.execute("DROP SCHEMA IF EXISTS ksef_cert_test CASCADE");
            s.execute("CREATE SCHEMA ksef_cert_test");
        }
    }

    @Override
    Map<String, String> storeProperties() {
        return Map.of("ksef.db.url", PostgresIncrementalSyncTest.URL + "?currentSchema=ksef_cert_test",
                "ksef.db.user", PostgresIncrementalSyncTest.USER);
    }

    @Override
    SelfSignedCertificates.KeyKind keyKind() {
        return SelfSignedCertificates.KeyKind.RSA;
    }

    @Override
    Map<String, String> certificateProperties(SelfSignedCertificates.WrittenFiles files) {
        return Map.of("ksef.auth.certificate", files.certificate().toString(), "ksef.auth.private-key", files.privateKey().toString());
    }
}
