package io.raftkv.core.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import io.raftkv.core.NodeId;
import io.raftkv.core.RaftRole;
import io.raftkv.core.harness.CoreFactory;
import io.raftkv.core.harness.TestCluster;
import io.raftkv.core.message.AppendEntriesRequest;
import org.junit.jupiter.api.Test;

/**
 * Paper §5.4.2 and Figure 8, built by hand on five servers S1..S5 (n1..n5). It runs the paper's
 * Raft (no pre-vote, no check-quorum), with one entry per AppendEntries so the test can tell which
 * entry reaches whom.
 *
 * <p>Start (after Figure 8 (b)): S1 and S2 hold [1@1, 2@2] (S1 led term 2); S5 holds [1@1, 2@3]
 * (it led term 3) and is down; S3 and S4 hold [1@1]; everyone is in term 3 with commitIndex 1.
 */
class Figure8ScenarioTest {
    private static final int ELECTION_TICKS = 15;

    static TestCluster figure8Cluster(CoreFactory factory) {
        return TestCluster.builder().voterCount(5).preVote(false).checkQuorum(false).maxEntriesPerAppend(1).seed(8)
                .coreFactory(factory)
                .state("n1", 3, null, 1, 1, 2)
                .state("n2", 3, null, 1, 1, 2)
                .state("n3", 3, null, 1, 1)
                .state("n4", 3, null, 1, 1)
                .state("n5", 3, null, 1, 1, 3)
                .build();
    }

    /**
     * Figure 8 (c): S5 is down and S4 cut off; S1 is elected in term 4 and replicates 2@2 to S3, so
     * 2@2 is stored on a majority (S1, S2, S3). S1's own term-4 entry reaches only S2. Returns the
     * cluster in that state.
     */
    static TestCluster stateC(CoreFactory factory) {
        TestCluster cluster = figure8Cluster(factory);
        cluster.crash("n5");
        cluster.isolate("n4");
        // S3 may see the term-4 entry only while it lacks index 2 (it then refuses it and asks for 2@2).
        cluster.dropMessages(m -> m instanceof AppendEntriesRequest a && a.to().value().equals("n3")
                && a.entries().stream().anyMatch(e -> e.term() == 4) && cluster.core("n3").log().lastIndex() >= 2);
        cluster.tick("n1", 2 * ELECTION_TICKS);
        cluster.stabilize();
        assertThat(cluster.core("n1").role()).isEqualTo(RaftRole.LEADER);
        assertThat(cluster.core("n1").currentTerm()).isEqualTo(4);
        for (String id : new String[] {"n1", "n2", "n3"}) {
            assertThat(cluster.core(id).log().term(2)).as("%s holds 2@2", id).isEqualTo(2);
        }
        assertThat(cluster.core("n3").log().lastIndex()).isEqualTo(2);
        return cluster;
    }

    /**
     * Figure 8 (c)-(d): 2@2 is on a majority but from an earlier term, so the leader of term 4 does
     * not commit it by counting; S1 then crashes, S5 wins term 5 with the votes of S3 and S4, and
     * overwrites 2@2 everywhere with its own 2@3. No committed entry was lost (the harness checks).
     */
    @Test
    void entryOfEarlierTermOnMajorityIsNotCommittedAndMayBeOverwritten() {
        TestCluster cluster = stateC(CoreFactory.STANDARD);
        assertThat(cluster.core("n1").log().commitIndex()).as("S1 must not commit 2@2 by counting").isEqualTo(1);
        assertThat(cluster.core("n1").matchIndexes().get(NodeId.of("n3"))).isEqualTo(2);

        cluster.crash("n1");
        cluster.heal();
        cluster.restart("n5");
        cluster.tick("n5", 2 * ELECTION_TICKS); // S5 times out first: term 4, refused by S2 and S3
        cluster.stabilize();
        cluster.tick("n5", 2 * ELECTION_TICKS); // term 5: S3 and S4 vote for it
        cluster.stabilize();
        assertThat(cluster.core("n5").role()).isEqualTo(RaftRole.LEADER);
        assertThat(cluster.core("n5").currentTerm()).isEqualTo(5);

        cluster.awaitConvergence(10 * ELECTION_TICKS);
        for (String id : new String[] {"n2", "n3", "n4", "n5"}) {
            assertThat(cluster.core(id).log().term(2)).as("%s index 2 overwritten by 2@3", id).isEqualTo(3);
        }
        assertThat(cluster.core("n2").log().truncations()).isPositive();
        assertThat(cluster.checker().committed().get(2L).term()).isEqualTo(3);
    }

    /**
     * Figure 8 (e): if S1 replicates an entry of its own term to a majority before crashing, that
     * entry commits and 2@2 commits with it; S5 can no longer win, and 2@2 survives everywhere.
     */
    @Test
    void onceCurrentTermEntryCommitsTheEarlierOneCommitsWithIt() {
        TestCluster cluster = stateC(CoreFactory.STANDARD);
        cluster.heal();
        cluster.isolate("n4");
        cluster.runTicks(2 * 3); // a heartbeat round resumes replication to S3

        assertThat(cluster.core("n1").log().commitIndex()).isEqualTo(3);
        assertThat(cluster.node("n1").applied()).extracting(e -> e.term()).containsExactly(1L, 2L, 4L);

        cluster.crash("n1");
        cluster.heal();
        cluster.restart("n5");
        cluster.tick("n5", 2 * ELECTION_TICKS);
        cluster.stabilize();
        String leader = cluster.awaitLeader(10 * ELECTION_TICKS);
        cluster.awaitConvergence(10 * ELECTION_TICKS);

        assertThat(leader).isIn("n2", "n3");
        assertThat(cluster.checker().leaderOfTerm()).doesNotContainValue(NodeId.of("n5"));
        for (String id : new String[] {"n2", "n3", "n4", "n5"}) {
            assertThat(cluster.core(id).log().term(2)).as("%s keeps 2@2", id).isEqualTo(2);
        }
    }
}
