package dev.ksef.sync.tenant;

import dev.ksef.sync.PostgresDatabase;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** {@link TenantStoreTest} on PostgreSQL: a database of its own for the class, emptied before each test. */
class PostgresTenantStoreTest extends TenantStoreTest {

    static PostgresDatabase database;

    @BeforeAll
    static void createDatabase() throws Exception {
        database = PostgresDatabase.create("ksef_tenant_store");
    }

    @AfterAll
    static void dropDatabase() throws Exception {
        database.close();
    }

    @Override
    DataSource database() {
        return database.dataSource();
    }
}
