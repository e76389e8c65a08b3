package dev.ksef.sync.schedule;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ksef.sync.PostgresDatabase;
import dev.ksef.sync.auth.KsefSessions;
import dev.ksef.sync.export.ExportPlanner;
import java.sql.Connection;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;

/** One run of a (NIP, subject type) at a time: across nodes on PostgreSQL (a session's advisory lock), on one node elsewhere. */
class RunFenceTest {

    private static final String NIP = "5265877635";

    @Test
    void onPostgresqlASecondNodeFindsTheFenceTakenUntilTheFirstGivesItBackOrItsSessionEnds() throws Exception {
        try (PostgresDatabase db = PostgresDatabase.create("ksef_fence")) {
            RunFence nodeA = new RunFence(db.dataSource());
            RunFence nodeB = new RunFence(db.dataSource());
            Exchange first = run("Subject1");
            assertTrue(nodeA.enter(first));
            assertFalse(nodeB.enter(run("Subject1")), "the other node's run of the same pair is skipped");
            assertTrue(nodeB.enter(run("Subject2")), "another subject type of the context runs");
            assertTrue(nodeB.enter(runOf("7740001454", "Subject1")), "another context runs");
            nodeA.leave(first);
            assertTrue(first.getProperty(RunFence.HELD, Boolean.class), "the caller still sees that the run ran");
            Exchange again = run("Subject1");
            assertTrue(nodeB.enter(again), "given back: the next run may go anywhere");

            // a node that dies: its session ends and takes the lock with it
            Connection held = again.getProperty("ksefFenceConnection", Connection.class);
            held.close();
            assertTrue(nodeA.enter(run("Subject1")), "a dead session's lock is gone");
        }
    }

    @Test
    void elsewhereTheFenceIsThisNodesOwn() throws Exception {
        JdbcDataSource h2 = new JdbcDataSource();
        h2.setURL("jdbc:h2:mem:fence;DB_CLOSE_DELAY=-1");
        RunFence fence = new RunFence(h2);
        Exchange first = run("Subject3");
        assertTrue(fence.enter(first));
        assertFalse(fence.enter(run("Subject3")));
        fence.leave(first);
        fence.leave(first); // given back once
        assertTrue(fence.enter(run("Subject3")));
    }

    private static Exchange run(String subjectType) {
        return runOf(NIP, subjectType);
    }

    private static Exchange runOf(String nip, String subjectType) {
        Exchange exchange = new DefaultExchange(new DefaultCamelContext());
        exchange.setProperty(KsefSessions.CONTEXT_NIP, nip);
        exchange.setProperty(ExportPlanner.SUBJECT_TYPE, subjectType);
        return exchange;
    }
}
