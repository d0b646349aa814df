package io.raftkv.core.membership;

import static io.raftkv.core.harness.Msgs.appendAccepted;
import static io.raftkv.core.harness.Msgs.heartbeatResponse;
import static io.raftkv.core.harness.Msgs.id;
import static org.assertj.core.api.Assertions.assertThat;

import io.raftkv.core.ConfigChange;
import io.raftkv.core.PeerStatus;
import io.raftkv.core.ProposeResult;
import io.raftkv.core.ProposeResult.Reason;
import io.raftkv.core.RaftRole;
import io.raftkv.core.harness.TestCluster;
import io.raftkv.core.harness.TestNode;
import org.junit.jupiter.api.Test;

/**
 * Catch-up before promotion (thesis §4.2.1): a learner is promoted only once it has caught up,
 * measured in rounds, each replicating what the leader held when it started; the leader reports
 * the status so a runtime can promote automatically.
 */
class CatchUpTest {
    private static final int ELECTION_TICKS = 15;
    private static final ConfigChange PROMOTE_N4 = new ConfigChange.PromoteLearner(id("n4"));

    /** n1 leading n1..n3 with a committed learner n4 that has answered nothing yet; check-quorum off. */
    private static TestNode leaderWithNewLearner() {
        TestNode leader = Leaders.readyLeader(TestNode.builder("n1").voters("n1", "n2", "n3").checkQuorum(false));
        for (int i = 0; i < 10; i++) {
            leader.propose("x" + i);
        }
        leader.proposeConfigChange(new ConfigChange.AddLearner(id("n4")));
        leader.step(appendAccepted("n2", "n1", 1, leader.core().log().lastIndex()));
        assertThat(leader.core().configChangePending()).isFalse();
        return leader;
    }

    private static PeerStatus n4(TestNode leader) {
        return leader.core().peerStatus().get(id("n4"));
    }

    @Test
    void promotionIsRefusedUntilTheLearnerHoldsTheLog() {
        TestNode leader = leaderWithNewLearner();
        assertThat(n4(leader).caughtUp()).isFalse();
        assertThat(n4(leader).ticksSinceHeard()).isEqualTo(Long.MAX_VALUE);

        assertThat(leader.proposeConfigChange(PROMOTE_N4)).isEqualTo(new ProposeResult.ConfigChangeRefused(Reason.NOT_CAUGHT_UP));
        leader.step(appendAccepted("n4", "n1", 1, 5));
        assertThat(n4(leader).caughtUp()).isFalse();

        long last = leader.core().log().lastIndex();
        leader.step(appendAccepted("n4", "n1", 1, last));
        assertThat(n4(leader)).satisfies(s -> {
            assertThat(s.caughtUp()).isTrue();
            assertThat(s.voter()).isFalse();
            assertThat(s.matchIndex()).isEqualTo(last);
            assertThat(s.roundsCompleted()).isEqualTo(1);
        });
        assertThat(leader.proposeConfigChange(PROMOTE_N4)).isEqualTo(new ProposeResult.Accepted(last + 1, 1));
    }

    /** A learner that has fallen silent for an election timeout is not caught up, whatever it holds. */
    @Test
    void aSilentLearnerIsNotCaughtUp() {
        TestNode leader = leaderWithNewLearner();
        leader.step(appendAccepted("n4", "n1", 1, leader.core().log().lastIndex()));

        leader.tick(ELECTION_TICKS);

        assertThat(n4(leader).ticksSinceHeard()).isEqualTo(ELECTION_TICKS);
        assertThat(n4(leader).caughtUp()).isFalse();
        assertThat(leader.proposeConfigChange(PROMOTE_N4)).isEqualTo(new ProposeResult.ConfigChangeRefused(Reason.NOT_CAUGHT_UP));
        leader.step(heartbeatResponse("n4", "n1", 1, 0));
        assertThat(n4(leader).caughtUp()).isTrue();
    }

    /**
     * While new entries keep arriving the learner never holds the whole log; it is caught up once a
     * round takes less than an election timeout, not while rounds take longer.
     */
    @Test
    void aRoundLongerThanAnElectionTimeoutIsNotCaughtUpAShortOneIs() {
        TestNode leader = leaderWithNewLearner();
        long roundEnd = leader.core().log().lastIndex(); // round 1 started when the learner was first sent entries
        leader.tick(2 * ELECTION_TICKS);
        leader.propose("during round 1");

        leader.step(appendAccepted("n4", "n1", 1, roundEnd)); // round 1 took two election timeouts
        assertThat(n4(leader).roundsCompleted()).isEqualTo(1);
        assertThat(n4(leader).lastRoundTicks()).isEqualTo(2L * ELECTION_TICKS);
        assertThat(n4(leader).caughtUp()).isFalse();
        assertThat(leader.proposeConfigChange(PROMOTE_N4)).isEqualTo(new ProposeResult.ConfigChangeRefused(Reason.NOT_CAUGHT_UP));

        leader.tick(2);
        leader.propose("during round 2");
        leader.step(appendAccepted("n4", "n1", 1, roundEnd + 1)); // round 2 took two ticks

        assertThat(n4(leader).roundsCompleted()).isEqualTo(2);
        assertThat(n4(leader).lastRoundTicks()).isEqualTo(2);
        assertThat(n4(leader).caughtUp()).isTrue();
        assertThat(leader.proposeConfigChange(PROMOTE_N4)).isInstanceOf(ProposeResult.Accepted.class);
    }

    /** The runtime's loop: add a learner, poll the status, promote when caught up. */
    @Test
    void aClusterAddsALearnerAndPromotesItOnceCaughtUp() {
        TestCluster cluster = TestCluster.builder().voters("n1", "n2", "n3").spares("n4").build();
        String leader = cluster.awaitLeader(300);
        for (int i = 0; i < 20; i++) {
            cluster.propose(leader, "x" + i);
        }
        cluster.proposeConfigChange(leader, new ConfigChange.AddLearner(id("n4")));
        cluster.runUntil("n4 caught up", 200, () -> cluster.core(leader).peerStatus().get(id("n4")).caughtUp());

        assertThat(cluster.proposeConfigChange(leader, PROMOTE_N4)).isInstanceOf(ProposeResult.Accepted.class);
        cluster.awaitConvergence(200);

        assertThat(cluster.core("n4").role()).isEqualTo(RaftRole.FOLLOWER);
        assertThat(cluster.core(leader).clusterConfig().voters()).hasSize(4);
        assertThat(cluster.core(leader).peerStatus().get(id("n4")).voter()).isTrue();
    }
}
