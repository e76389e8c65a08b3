package dev.ksef.sync.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.ksef.sync.PostgresDatabase;
import dev.ksef.sync.auth.KsefSessions;
import dev.ksef.sync.export.ExportPlanner;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;

/** Two nodes' fences on one PostgreSQL database: each (NIP, subject type) runs on one at a time, all of a node's locks on one session. */
class RunFenceTest {

    @Test
    void oneRunPerNipAndSubjectTypeAcrossNodesWithOneSessionPerNode() throws Exception {
        try (PostgresDatabase database = PostgresDatabase.create("ksef_fence");
             HikariDataSource poolA = pool(database); HikariDataSource poolB = pool(database);
             DefaultCamelContext camel = new DefaultCamelContext()) {
            RunFence nodeA = new RunFence(poolA);
            RunFence nodeB = new RunFence(poolB);
            Exchange a1 = run(camel, "5265877635", "Subject1");
            Exchange a2 = run(camel, "5265877635", "Subject2");
            Exchange a3 = run(camel, "7010004380", "Subject1");
            assertTrue(nodeA.enter(a1));
            assertTrue(nodeA.enter(a2), "another subject type of the same NIP");
            assertTrue(nodeA.enter(a3), "another NIP");
            assertFalse(nodeA.enter(run(camel, "5265877635", "Subject1")), "the same run again on the same node");
            assertFalse(nodeB.enter(run(camel, "5265877635", "Subject1")), "the same run on another node");
            assertEquals(1, poolA.getHikariPoolMXBean().getActiveConnections(), "node A holds its three locks on one session");

            nodeA.leave(a1);
            Exchange b1 = run(camel, "5265877635", "Subject1");
            assertTrue(nodeB.enter(b1), "free once node A's run is over");
            assertFalse(nodeA.enter(run(camel, "5265877635", "Subject1")));

            nodeA.endSession(); // a node stopping (or killed: its session ends) frees its locks
            assertTrue(nodeB.enter(run(camel, "7010004380", "Subject1")));
            nodeB.leave(b1);
            assertEquals(1, advisoryLocks(poolB), "node B holds only the run it still has");
        }
    }

    private static Exchange run(DefaultCamelContext camel, String nip, String subjectType) {
        Exchange exchange = new DefaultExchange(camel);
        exchange.setProperty(KsefSessions.CONTEXT_NIP, nip);
        exchange.setProperty(ExportPlanner.SUBJECT_TYPE, subjectType);
        return exchange;
    }

    private static HikariDataSource pool(PostgresDatabase database) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(database.url());
        config.setUsername(PostgresDatabase.USER);
        config.setMaximumPoolSize(3);
        return new HikariDataSource(config);
    }

    private static int advisoryLocks(HikariDataSource dataSource) throws Exception {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT COUNT(*) FROM pg_locks WHERE locktype = 'advisory' AND database = "
                     + "(SELECT oid FROM pg_database WHERE datname = current_database())")) {
            r.next();
            return r.getInt(1);
        }
    }
}
