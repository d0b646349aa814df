package io.raftkv.core.membership;

import static io.raftkv.core.harness.Msgs.appendAccepted;
import static io.raftkv.core.harness.Msgs.id;
import static org.assertj.core.api.Assertions.assertThat;

import io.raftkv.core.ConfigChange;
import io.raftkv.core.ProposeResult;
import io.raftkv.core.RaftRole;
import io.raftkv.core.harness.TestCluster;
import io.raftkv.core.harness.TestNode;
import io.raftkv.core.message.RequestVoteRequest;
import io.raftkv.core.message.TimeoutNow;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Removing servers (thesis §4.2.2 the leader, §4.2.3 disruptive servers; R-MEMB-3). */
class RemoveServerTest {
    private static final int ELECTION_TICKS = 15;

    private static String follower(TestCluster cluster, String leader) {
        return cluster.ids().stream().filter(n -> !n.equals(leader)).findFirst().orElseThrow();
    }

    /** The removed follower learns of its removal (it is replicated to until the change commits) and stays quiet. */
    @Test
    void aRemovedFollowerLearnsItAndNeverCampaigns() {
        TestCluster cluster = TestCluster.builder().voters("n1", "n2", "n3").build();
        String leader = cluster.awaitLeader(300);
        String removed = follower(cluster, leader);

        cluster.proposeConfigChange(leader, new ConfigChange.RemoveServer(id(removed)));
        cluster.stabilize();

        assertThat(cluster.core(leader).configChangePending()).isFalse();
        assertThat(cluster.core(leader).peerStatus()).doesNotContainKey(id(removed));
        assertThat(cluster.core(removed).clusterConfig().isMember(id(removed))).isFalse();
        assertThat(cluster.core(removed).role()).isEqualTo(RaftRole.LEARNER);
        long term = cluster.core(leader).currentTerm();

        cluster.runTicks(10 * ELECTION_TICKS);
        assertThat(cluster.node(removed).sent(RequestVoteRequest.class)).isEmpty();
        assertThat(cluster.leader()).isEqualTo(leader);
        assertThat(cluster.core(leader).currentTerm()).isEqualTo(term);
        // Two voters left: both must store an entry to commit it.
        cluster.crash(removed);
        ProposeResult.Accepted x = (ProposeResult.Accepted) cluster.propose(leader, "x");
        cluster.stabilize();
        assertThat(cluster.core(leader).log().commitIndex()).isEqualTo(x.index());
    }

    /**
     * Thesis §4.2.2: a leader that removed itself keeps leading without counting itself until the
     * change commits, then steps down, handing over to a voter that holds its whole log.
     */
    @Test
    void aLeaderRemovingItselfLeadsUntilTheChangeCommitsThenStepsDown() {
        TestNode leader = Leaders.readyLeader("n1", "n2", "n3");

        assertThat(leader.proposeConfigChange(new ConfigChange.RemoveServer(id("n1")))).isEqualTo(new ProposeResult.Accepted(2, 1));
        assertThat(leader.core().clusterConfig().voters()).containsExactlyInAnyOrder(id("n2"), id("n3"));
        assertThat(leader.core().role()).isEqualTo(RaftRole.LEADER);
        // Still managing the cluster: it accepts and replicates entries.
        assertThat(leader.propose("x")).isEqualTo(new ProposeResult.Accepted(3, 1));

        leader.step(appendAccepted("n2", "n1", 1, 3));
        assertThat(leader.core().log().commitIndex()).as("n2 alone is no majority of {n2, n3}; n1 does not count").isEqualTo(1);
        assertThat(leader.core().role()).isEqualTo(RaftRole.LEADER);
        leader.takeSent();

        leader.step(appendAccepted("n3", "n1", 1, 2));

        assertThat(leader.core().log().commitIndex()).isEqualTo(2);
        assertThat(leader.core().role()).isEqualTo(RaftRole.LEARNER);
        assertThat(leader.core().leaderId()).isNull();
        assertThat(leader.sent(TimeoutNow.class)).containsExactly(new TimeoutNow(1, id("n1"), id("n2")));
        leader.tick(10 * ELECTION_TICKS);
        assertThat(leader.sent(RequestVoteRequest.class)).isEmpty();
    }

    /**
     * A leader that removed itself and lost leadership before the change committed may still be
     * needed: the other voter of {n1, n2} lacks the change and needs n1's vote, which n1 cannot give
     * (n1's log is more up-to-date). So n1 campaigns while it is a voter of its committed
     * configuration, counting votes in its latest one ({n2}), and finishes the change as leader.
     */
    @Test
    void aServerRemovedByAnUncommittedEntryStillCampaignsWhileItIsAVoterOfTheCommittedConfiguration() {
        TestNode n1 = Leaders.readyLeader("n1", "n2");
        n1.proposeConfigChange(new ConfigChange.RemoveServer(id("n1")));
        n1.tick(2 * ELECTION_TICKS); // n2 silent: check-quorum deposes n1 before the removal commits
        assertThat(n1.core().role()).isNotEqualTo(RaftRole.LEADER);
        assertThat(n1.core().configChangePending()).isTrue();
        n1.takeSent();

        n1.tickUntil(c -> c.role() == RaftRole.PRE_CANDIDATE, 4 * ELECTION_TICKS);
        assertThat(n1.sent(RequestVoteRequest.class)).extracting(RequestVoteRequest::to).containsExactly(id("n2"));
        n1.step(io.raftkv.core.harness.Msgs.preVoteGranted("n2", "n1", 2));
        n1.step(io.raftkv.core.harness.Msgs.voteGranted("n2", "n1", 2));
        assertThat(n1.core().role()).isEqualTo(RaftRole.LEADER);

        n1.step(appendAccepted("n2", "n1", 2, n1.core().log().lastIndex()));

        assertThat(n1.core().configChangePending()).isFalse();
        assertThat(n1.core().role()).isEqualTo(RaftRole.LEARNER);
        assertThat(n1.sent(TimeoutNow.class)).extracting(TimeoutNow::to).containsExactly(id("n2"));
    }

    /** After the leader left, the remaining servers go on under a new leader; the old one stays out. */
    @Test
    void theRemainingServersCarryOnWithoutTheRemovedLeader() {
        TestCluster cluster = TestCluster.builder().voters("n1", "n2", "n3", "n4", "n5").build();
        String old = cluster.awaitLeader(300);
        cluster.propose(old, "before");
        long term = cluster.core(old).currentTerm();

        cluster.proposeConfigChange(old, new ConfigChange.RemoveServer(id(old)));
        String leader = null;
        for (int t = 0; t < 300 && (leader == null || leader.equals(old)); t++) {
            cluster.runTicks(1);
            leader = cluster.leader();
        }

        assertThat(leader).isNotEqualTo(old).isNotNull();
        assertThat(cluster.core(leader).currentTerm()).isEqualTo(term + 1); // the handover, not a timeout
        assertThat(cluster.core(leader).clusterConfig().voters()).hasSize(4).doesNotContain(id(old));
        assertThat(cluster.core(old).role()).isEqualTo(RaftRole.LEARNER);
        cluster.propose(leader, "after");
        cluster.awaitConvergence(200);
        assertThat(cluster.appliedCommands(leader)).containsExactly("before", "after");
        assertThat(cluster.core(old).log().lastIndex()).isLessThan(cluster.core(leader).log().lastIndex());
    }

    /**
     * Thesis §4.2.3: a removed server that never learned of its removal times out and campaigns
     * with ever higher terms; servers that hear from the leader ignore it (no term change, no vote).
     */
    @Test
    void aRemovedServerCannotRaiseTheClustersTermOrWin() {
        TestCluster cluster = TestCluster.builder().voters("n1", "n2", "n3", "n4").preVote(false).build();
        String leader = cluster.awaitLeader(300);
        String removed = follower(cluster, leader);
        cluster.isolate(removed);
        cluster.proposeConfigChange(leader, new ConfigChange.RemoveServer(id(removed)));
        cluster.stabilize();
        assertThat(cluster.core(leader).configChangePending()).isFalse();
        long term = cluster.core(leader).currentTerm();

        cluster.heal();
        cluster.runTicks(20 * ELECTION_TICKS);

        assertThat(cluster.node(removed).core().currentTerm()).isGreaterThan(term + 3);
        assertThat(cluster.core(removed).clusterConfig().isVoter(id(removed))).as("it never learned").isTrue();
        assertThat(cluster.leader()).isEqualTo(leader);
        for (String n : cluster.ids()) {
            if (!n.equals(removed)) {
                assertThat(cluster.core(n).currentTerm()).as(n).isEqualTo(term);
            }
        }
        // Even with no leader to protect the voters, its stale log cannot win their votes (§5.4.1).
        cluster.crash(leader);
        cluster.runTicks(20 * ELECTION_TICKS);
        assertThat(cluster.leader()).isNotNull().isNotEqualTo(removed);
        assertThat(cluster.leaders()).doesNotContain(removed);
    }

    /** A server that is removed while down comes back with the old configuration and cannot get back in. */
    @Test
    void aServerRemovedWhileDownStaysOut() {
        TestCluster cluster = TestCluster.builder().voters("n1", "n2", "n3").build();
        String leader = cluster.awaitLeader(300);
        String removed = follower(cluster, leader);
        cluster.crash(removed);
        cluster.proposeConfigChange(leader, new ConfigChange.RemoveServer(id(removed)));
        cluster.stabilize();

        cluster.restart(removed);
        cluster.runTicks(20 * ELECTION_TICKS);

        assertThat(cluster.leader()).isEqualTo(leader);
        assertThat(cluster.core(leader).clusterConfig().voters()).hasSize(2).doesNotContain(id(removed));
        assertThat(Set.of(RaftRole.FOLLOWER, RaftRole.PRE_CANDIDATE)).contains(cluster.core(removed).role());
    }
}
