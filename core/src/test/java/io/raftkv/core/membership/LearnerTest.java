package io.raftkv.core.membership;

import static io.raftkv.core.harness.Msgs.append;
import static io.raftkv.core.harness.Msgs.appendAccepted;
import static io.raftkv.core.harness.Msgs.configEntry;
import static io.raftkv.core.harness.Msgs.entry;
import static io.raftkv.core.harness.Msgs.heartbeatResponse;
import static io.raftkv.core.harness.Msgs.id;
import static io.raftkv.core.harness.Msgs.preVoteRequest;
import static io.raftkv.core.harness.Msgs.voteRequest;
import static org.assertj.core.api.Assertions.assertThat;

import io.raftkv.core.ConfigChange;
import io.raftkv.core.LogEntry;
import io.raftkv.core.ProposeResult;
import io.raftkv.core.RaftRole;
import io.raftkv.core.harness.TestCluster;
import io.raftkv.core.harness.TestNode;
import io.raftkv.core.message.RequestVoteRequest;
import io.raftkv.core.message.RequestVoteResponse;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Learners (thesis §4.2.1, R-MEMB-2): they receive the log and snapshots, never vote, never
 * campaign, never count for commitment or check-quorum; a promoted learner behaves as a voter.
 */
class LearnerTest {
    private static final int ELECTION_TICKS = 15;

    /** n4 as a learner of voters n1..n3, with the configuration entry at index 2 of term 1. */
    private static TestNode learner() {
        TestNode n4 = TestNode.builder("n4").voters("n1", "n2", "n3").build();
        n4.step(append("n1", "n4", 1, 0, 0, 1, entry(1, 1),
                configEntry(2, 1, List.of("n1", "n2", "n3"), List.of("n4"))));
        n4.takeSent();
        return n4;
    }

    @Test
    void anAddedLearnerReceivesTheWholeLog() {
        TestCluster cluster = TestCluster.builder().voters("n1", "n2", "n3").spares("n4").build();
        String leader = cluster.awaitLeader(300);
        for (int i = 0; i < 5; i++) {
            cluster.propose(leader, "x" + i);
        }
        cluster.stabilize();

        assertThat(cluster.proposeConfigChange(leader, new ConfigChange.AddLearner(id("n4"))))
                .isInstanceOf(ProposeResult.Accepted.class);
        cluster.awaitConvergence(200);

        assertThat(cluster.core("n4").role()).isEqualTo(RaftRole.LEARNER);
        assertThat(cluster.core("n4").leaderId()).isEqualTo(id(leader));
        assertThat(cluster.appliedCommands("n4")).containsExactly("x0", "x1", "x2", "x3", "x4");
        assertThat(cluster.core("n4").clusterConfig().learners()).containsExactly(id("n4"));
    }

    /** A learner's acknowledgement never makes an entry committed: only a majority of voters does. */
    @Test
    void aLearnerDoesNotCountForCommitment() {
        TestNode leader = Leaders.readyLeader("n1", "n2", "n3");
        leader.proposeConfigChange(new ConfigChange.AddLearner(id("n4")));
        leader.step(appendAccepted("n2", "n1", 1, 2));
        ProposeResult.Accepted x = (ProposeResult.Accepted) leader.propose("x");

        leader.step(appendAccepted("n4", "n1", 1, x.index()));
        assertThat(leader.core().log().commitIndex()).isEqualTo(2);

        leader.step(appendAccepted("n3", "n1", 1, x.index()));
        assertThat(leader.core().log().commitIndex()).isEqualTo(x.index());
    }

    /** Check-quorum (thesis §6.2) counts voters only: hearing from a learner does not keep a leader leading. */
    @Test
    void aLeaderHearingOnlyFromALearnerStepsDown() {
        TestNode leader = Leaders.readyLeader("n1", "n2", "n3");
        leader.proposeConfigChange(new ConfigChange.AddLearner(id("n4")));
        leader.step(appendAccepted("n2", "n1", 1, 2));

        for (int t = 0; t < 2 * ELECTION_TICKS; t++) { // n2 answered in the first period
            leader.tick();
            leader.step(heartbeatResponse("n4", "n1", 1, 0));
        }

        assertThat(leader.core().role()).isEqualTo(RaftRole.FOLLOWER);
    }

    @Test
    void aLearnerNeverCampaigns() {
        TestNode n4 = learner();

        n4.tick(20 * ELECTION_TICKS);

        assertThat(n4.core().role()).isEqualTo(RaftRole.LEARNER);
        assertThat(n4.sent(RequestVoteRequest.class)).isEmpty();
    }

    /** A server outside the configuration (about to be added, say) waits: it never campaigns either. */
    @Test
    void aServerOutsideTheConfigurationNeverCampaigns() {
        TestNode spare = TestNode.builder("n4").voters("n1", "n2", "n3").build();

        spare.tick(20 * ELECTION_TICKS);

        assertThat(spare.core().role()).isEqualTo(RaftRole.LEARNER);
        assertThat(spare.takeSent()).isEmpty();
    }

    /**
     * Thesis §4.1: servers vote without consulting their configuration. A learner asked for its vote
     * may have been promoted by an entry it has not received yet, and the candidate may need it
     * (the case etcd-io/raft documents): it answers like any server, and only a candidate whose
     * configuration makes it a voter counts the vote.
     */
    @Test
    void aLearnerAnswersAVoteRequestAsAnyServerWould() {
        TestNode n4 = learner();
        n4.tick(2 * ELECTION_TICKS); // no leader heard for a while

        n4.step(preVoteRequest("n2", "n4", 2, 10, 1));
        n4.step(voteRequest("n2", "n4", 2, 10, 1));

        assertThat(n4.sent(RequestVoteResponse.class)).hasSize(2).allMatch(RequestVoteResponse::voteGranted);
        assertThat(n4.core().votedFor()).isEqualTo(id("n2"));
        assertThat(n4.core().role()).isEqualTo(RaftRole.LEARNER);
    }

    /** Learners never count for an election: a candidate ignores the votes of servers that are no voters in its configuration. */
    @Test
    void aCandidateDoesNotCountALearnersVote() {
        TestNode n1 = TestNode.builder("n1").voters("n1", "n2", "n3").preVote(false).build();
        n1.step(append("n2", "n1", 1, 0, 0, 0, entry(1, 1),
                configEntry(2, 1, List.of("n1", "n2", "n3"), List.of("n4", "n5"))));
        n1.tickUntil(c -> c.role() == RaftRole.CANDIDATE, 4 * ELECTION_TICKS);
        long term = n1.core().currentTerm();
        assertThat(n1.sent(RequestVoteRequest.class)).extracting(RequestVoteRequest::to).doesNotContain(id("n4"), id("n5"));

        n1.step(io.raftkv.core.harness.Msgs.voteGranted("n4", "n1", term));
        n1.step(io.raftkv.core.harness.Msgs.voteGranted("n5", "n1", term));

        assertThat(n1.core().role()).isEqualTo(RaftRole.CANDIDATE);
        n1.step(io.raftkv.core.harness.Msgs.voteGranted("n3", "n1", term));
        assertThat(n1.core().role()).isEqualTo(RaftRole.LEADER);
    }

    /** Thesis §4.1: the promotion is in force when appended; the former learner now campaigns when the leader is silent. */
    @Test
    void aPromotedLearnerBehavesAsAVoter() {
        TestNode n4 = learner();
        n4.step(append("n1", "n4", 1, 2, 1, 2, configEntry(3, 1, List.of("n1", "n2", "n3", "n4"), List.of())));

        assertThat(n4.core().role()).isEqualTo(RaftRole.FOLLOWER);
        n4.takeSent();
        n4.tick(2 * ELECTION_TICKS);

        assertThat(n4.core().role()).isEqualTo(RaftRole.PRE_CANDIDATE);
        assertThat(n4.sent(RequestVoteRequest.class)).extracting(RequestVoteRequest::to)
                .containsExactlyInAnyOrder(id("n1"), id("n2"), id("n3"));
    }

    /** Promoted and counted: with four voters a commit needs three of them. */
    @Test
    void aPromotedLearnerCountsForCommitment() {
        TestNode leader = Leaders.readyLeader("n1", "n2", "n3");
        leader.proposeConfigChange(new ConfigChange.AddLearner(id("n4")));
        leader.step(appendAccepted("n2", "n1", 1, 2));
        leader.step(appendAccepted("n4", "n1", 1, 2));
        assertThat(leader.proposeConfigChange(new ConfigChange.PromoteLearner(id("n4"))))
                .isEqualTo(new ProposeResult.Accepted(3, 1));

        leader.step(appendAccepted("n2", "n1", 1, 3));
        assertThat(leader.core().log().commitIndex()).as("n1 and n2 are two of four voters").isEqualTo(2);
        leader.step(appendAccepted("n4", "n1", 1, 3));
        assertThat(leader.core().log().commitIndex()).isEqualTo(3);
        LogEntry promotion = leader.core().log().entry(3);
        assertThat(promotion.type()).isEqualTo(io.raftkv.core.EntryType.CONFIG);
    }
}
