package dev.ksef.sync.tenant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ksef.sync.KsefConfigurationException;
import dev.ksef.sync.store.Migrations;
import dev.ksef.sync.tenant.Tenant.Credential;
import dev.ksef.sync.tenant.TenantStore.Upsert;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The tenant table on H2; {@link PostgresTenantStoreTest} runs the same on PostgreSQL. */
class TenantStoreTest {

    static final String A = "5265877635";
    static final String B = "7010004380";
    static final String C = "1132191233";

    DataSource dataSource;
    TenantStore store;

    /** An empty database for one test. */
    DataSource database() {
        JdbcDataSource h2 = new JdbcDataSource();
        h2.setURL("jdbc:h2:mem:tenants-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        h2.setUser("sa");
        return h2;
    }

    @BeforeEach
    void migrate() throws Exception {
        dataSource = database();
        Migrations.migrate(dataSource, "");
        sql("DELETE FROM ksef_tenant");
        sql("DELETE FROM continuation_point");
        store = new TenantStore(dataSource);
    }

    @Test
    void aTenantsLifeAddListDisableEnableUpdateRemove() throws Exception {
        Tenant b = store.add(Tenant.of(B, "Nowak", List.of("Subject2"), Credential.CERTIFICATE, null, Map.of("Subject2", "0 7/30 * * * ?"), "P90D"));
        Tenant a = store.add(Tenant.of(A, null, List.of("Subject1", "SubjectAuthorized"), Credential.TOKEN, "c2VhbGVkLXRva2Vu", Map.of(), null));
        assertEquals(b, store.find(B).orElseThrow(), "every value as stored, times included");
        assertEquals(a, store.find(A).orElseThrow());
        assertTrue(store.find(C).isEmpty());
        assertEquals(List.of(A, B), store.list().stream().map(Tenant::nip).toList(), "ordered by NIP");

        assertTrue(store.setEnabled(A, false));
        assertFalse(store.setEnabled(A, false), "already disabled");
        assertEquals(List.of(B), store.enabled().stream().map(Tenant::nip).toList());
        assertFalse(store.find(A).orElseThrow().enabled());
        assertTrue(store.setEnabled(A, true));
        assertEquals(List.of(A, B), store.enabled().stream().map(Tenant::nip).toList());

        Tenant changed = store.update(Tenant.of(B, "Nowak S.A.", List.of("Subject1", "Subject2"), Credential.TOKEN, "b3RoZXI=", Map.of(), null)
                .withEnabled(false));
        Tenant stored = store.find(B).orElseThrow();
        assertEquals(changed, stored);
        assertEquals(b.createdAt(), stored.createdAt(), "created once");
        assertTrue(stored.updatedAt().isAfter(b.updatedAt()));
        assertEquals(Map.of(), stored.crons());
        assertEquals(null, stored.initialFrom());

        sql("INSERT INTO continuation_point (context_nip, subject_type, point, updated_at) VALUES ('" + A
                + "', 'Subject1', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)");
        store.remove(A);
        assertTrue(store.find(A).isEmpty());
        assertEquals(1, count("SELECT COUNT(*) FROM continuation_point WHERE context_nip = '" + A + "'"), "its state stays for audit");
        assertEquals(List.of(B), store.list().stream().map(Tenant::nip).toList());
    }

    @Test
    void aKnownNipCannotBeAddedAndAnUnknownOneNotChanged() {
        store.add(Tenant.of(A, null, List.of("Subject1"), Credential.CERTIFICATE, null, Map.of(), null));
        assertEquals("tenant 5265877635 exists already (tenant import updates it, tenant remove removes it)",
                assertThrows(KsefConfigurationException.class, () -> store.add(Tenant.of(A, "again", List.of("Subject2"), Credential.CERTIFICATE,
                        null, Map.of(), null))).getMessage());
        String unknown = "tenant 7010004380 is unknown (tenant list shows the tenants)";
        assertEquals(unknown, assertThrows(KsefConfigurationException.class, () -> store.remove(B)).getMessage());
        assertEquals(unknown, assertThrows(KsefConfigurationException.class, () -> store.setEnabled(B, false)).getMessage());
        assertEquals(unknown, assertThrows(KsefConfigurationException.class, () -> store.update(
                Tenant.of(B, null, List.of("Subject1"), Credential.CERTIFICATE, null, Map.of(), null))).getMessage());
    }

    @Test
    void theVersionChangesWithEveryChangeAndOnlyThen() {
        TenantStore.Version empty = store.version();
        assertEquals(new TenantStore.Version(0, null), empty);
        List<TenantStore.Version> seen = new java.util.ArrayList<>(List.of(empty));
        store.add(Tenant.of(A, null, List.of("Subject1"), Credential.CERTIFICATE, null, Map.of(), null));
        seen.add(store.version());
        store.add(Tenant.of(B, null, List.of("Subject1"), Credential.CERTIFICATE, null, Map.of(), null));
        seen.add(store.version());
        assertEquals(store.version(), store.version(), "stable while nothing changes");
        // changes faster than the clock ticks still move it
        for (int i = 0; i < 3; i++) {
            store.setEnabled(A, false);
            seen.add(store.version());
            store.setEnabled(B, false);
            seen.add(store.version());
            store.setEnabled(A, true);
            seen.add(store.version());
            store.setEnabled(B, true);
            seen.add(store.version());
        }
        store.setEnabled(B, true);
        seen.add(store.version());
        assertEquals(seen.get(seen.size() - 2), seen.get(seen.size() - 1), "enabling an enabled tenant changes nothing");
        seen.remove(seen.size() - 1);
        store.upsert(Tenant.of(A, "renamed", List.of("Subject1"), Credential.CERTIFICATE, null, Map.of(), null));
        seen.add(store.version());
        store.remove(B);
        seen.add(store.version());
        assertEquals(seen.size(), seen.stream().distinct().count(), seen.toString());
        assertEquals(1, store.version().tenants());
    }

    @Test
    void anImportIsStoredWhollyOrNotAtAll() {
        store.add(Tenant.of(A, "before", List.of("Subject1"), Credential.CERTIFICATE, null, Map.of(), null).withEnabled(false));
        assertEquals(List.of(Upsert.UPDATED, Upsert.ADDED), store.upsertAll(List.of(
                Tenant.of(A, "after", List.of("Subject1", "Subject2"), Credential.CERTIFICATE, null, Map.of(), null).withEnabled(false),
                Tenant.of(B, "new", List.of("Subject2"), Credential.CERTIFICATE, null, Map.of(), null))));
        assertEquals("after", store.find(A).orElseThrow().name());
        assertEquals(List.of("Subject1", "Subject2"), store.find(A).orElseThrow().subjectTypes());
        assertFalse(store.find(A).orElseThrow().enabled());

        TenantStore.Version before = store.version();
        String tooLong = "x".repeat(2100); // sealed_token holds 2000 characters: the database refuses the second row
        assertThrows(IllegalStateException.class, () -> store.upsertAll(List.of(
                Tenant.of(C, "third", List.of("Subject1"), Credential.CERTIFICATE, null, Map.of(), null),
                Tenant.of(B, "changed", List.of("Subject1"), Credential.TOKEN, tooLong, Map.of(), null))));
        assertTrue(store.find(C).isEmpty(), "rolled back");
        assertEquals("new", store.find(B).orElseThrow().name());
        assertEquals(before, store.version());
    }

    @Test
    void aRowEditedIntoNonsenseIsNamedByListAndSkippedByEnabled() throws Exception {
        store.add(Tenant.of(A, null, List.of("Subject1"), Credential.CERTIFICATE, null, Map.of(), null));
        store.add(Tenant.of(B, null, List.of("Subject1"), Credential.CERTIFICATE, null, Map.of(), null));
        sql("UPDATE ksef_tenant SET subject_types = 'Subject1,Buyer' WHERE nip = '" + A + "'");
        KsefConfigurationException e = assertThrows(KsefConfigurationException.class, store::list);
        assertEquals("ksef_tenant row 5265877635 is not a valid tenant: unknown subject type 'Buyer': use one or more of Subject1, Subject2, "
                + "Subject3, SubjectAuthorized", e.getMessage());
        assertEquals(List.of(B), store.enabled().stream().map(Tenant::nip).toList(), "one broken row holds up no other tenant");
    }

    void sql(String statement) throws Exception {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute(statement);
        }
    }

    long count(String query) throws Exception {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement(); ResultSet r = s.executeQuery(query)) {
            r.next();
            return r.getLong(1);
        }
    }
}
