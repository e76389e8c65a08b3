package dev.ksef.sync.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;

import dev.ksef.sync.Secrets;
import dev.ksef.sync.auth.KsefContext;
import dev.ksef.sync.store.Migrations;
import dev.ksef.sync.tenant.Tenant;
import dev.ksef.sync.tenant.TenantStore;
import dev.ksef.sync.tenant.TenantTokens;
import java.util.ArrayList;
import java.util.Base64;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;

/** A tenant's login context: one object per version of its row, however many runs ask for it at once. */
class TenantDirectoryTest {

    private static final String NIP = "5265877635";
    private static final String STORE_KEY = Base64.getEncoder().encodeToString(new byte[32]);

    @Test
    void runsAskingAtTheSameInstantShareOneContextUntilTheRowChanges() throws Exception {
        JdbcDataSource h2 = new JdbcDataSource();
        h2.setURL("jdbc:h2:mem:directory-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        h2.setUser("sa");
        Migrations.migrate(h2, "");
        TenantStore store = new TenantStore(h2);
        TenantTokens tokens = new TenantTokens(STORE_KEY);
        store.add(Tenant.of(NIP, "Client", List.of("Subject1", "Subject2"), Tenant.Credential.TOKEN, tokens.seal(NIP, "token-one"), Map.of(), null));
        Map<String, String> settings = Map.of("ksef.base-url", "https://api-test.ksef.mf.gov.pl/v2");
        TenantDirectory directory = new TenantDirectory(store, key -> settings.getOrDefault(key, ""),
                () -> new Secrets(Map.of("ksef.store.key", STORE_KEY)), List::of);

        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Callable<KsefContext>> asks = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                asks.add(() -> {
                    start.await();
                    return directory.context(NIP);
                });
            }
            List<Future<KsefContext>> answers = asks.stream().map(pool::submit).toList();
            start.countDown();
            Map<KsefContext, Boolean> distinct = new IdentityHashMap<>();
            for (Future<KsefContext> answer : answers) {
                distinct.put(answer.get(), true);
            }
            assertEquals(1, distinct.size(), "one context for every run that asked at once");
            KsefContext first = distinct.keySet().iterator().next();

            store.update(store.find(NIP).orElseThrow().withEnabled(true)); // the row changes (a token rotated, say)
            assertNotSame(first, directory.context(NIP), "a changed row gives a new context");
        } finally {
            pool.shutdownNow();
        }
    }
}
