package io.raftkv.core;

import static io.raftkv.core.harness.Msgs.appendAccepted;
import static io.raftkv.core.harness.Msgs.heartbeat;
import static io.raftkv.core.harness.Msgs.heartbeatResponse;
import static io.raftkv.core.harness.Msgs.voteRequest;
import static org.assertj.core.api.Assertions.assertThat;

import io.raftkv.core.harness.TestNode;
import org.junit.jupiter.api.Test;

/** Check-quorum (thesis §6.2, R-ELECT-9) and the leader lease that goes with it (thesis §4.2.3). */
class CheckQuorumTest {
    private static final int ELECTION_TICKS = 15;
    private static final int HEARTBEAT_TICKS = 3;

    private static TestNode leader(boolean checkQuorum) {
        TestNode node = TestNode.builder("n1").voters("n1", "n2", "n3").checkQuorum(checkQuorum).build();
        node.electSelf();
        return node;
    }

    /** R-ELECT-9: a leader that hears from no quorum for an election timeout steps down, keeping its term. */
    @Test
    void leaderStepsDownAfterElectionTimeoutWithoutQuorum() {
        TestNode node = leader(true);
        long term = node.core().currentTerm();

        node.tick(ELECTION_TICKS - 1);
        assertThat(node.core().role()).isEqualTo(RaftRole.LEADER);
        node.tick();

        assertThat(node.core().role()).isEqualTo(RaftRole.FOLLOWER);
        assertThat(node.core().currentTerm()).isEqualTo(term);
        assertThat(node.core().leaderId()).isNull();
        assertThat(node.propose("x")).isInstanceOf(ProposeResult.NotLeader.class);
    }

    /** A leader that hears from one follower each period (a quorum of 3 with itself) stays leader. */
    @Test
    void leaderWithQuorumOfResponsesStaysLeader() {
        TestNode node = leader(true);
        long term = node.core().currentTerm();
        node.step(appendAccepted("n2", "n1", term, 1));

        for (int period = 0; period < 10 * ELECTION_TICKS / HEARTBEAT_TICKS; period++) {
            node.tick(HEARTBEAT_TICKS);
            node.step(heartbeatResponse("n2", "n1", term, 0));
        }

        assertThat(node.core().role()).isEqualTo(RaftRole.LEADER);
        assertThat(node.core().currentTerm()).isEqualTo(term);
    }

    /** Responses from a single follower of five are not a quorum: the leader steps down. */
    @Test
    void responsesFromAMinorityAreNotEnough() {
        TestNode node = TestNode.builder("n1").voters("n1", "n2", "n3", "n4", "n5").build();
        node.electSelf();
        long term = node.core().currentTerm();

        for (int t = 0; t < ELECTION_TICKS; t++) {
            node.tick();
            node.step(heartbeatResponse("n2", "n1", term, 0));
        }

        assertThat(node.core().role()).isEqualTo(RaftRole.FOLLOWER);
    }

    /** With check-quorum off, a leader stays leader however long it hears nothing. */
    @Test
    void withoutCheckQuorumLeaderNeverStepsDownOnItsOwn() {
        TestNode node = leader(false);
        node.tick(20 * ELECTION_TICKS);
        assertThat(node.core().role()).isEqualTo(RaftRole.LEADER);
    }

    /**
     * Thesis §4.2.3: a follower that heard from its leader within the election timeout ignores a
     * vote request of a higher term: no term change, no vote, so a disruptive server cannot depose
     * a healthy leader.
     */
    @Test
    void followerInLeaseIgnoresHigherTermVoteRequest() {
        TestNode follower = TestNode.builder("n2").voters("n1", "n2", "n3").build();
        follower.step(heartbeat("n1", "n2", 1, 0, 0));
        follower.takeSent();

        follower.step(voteRequest("n3", "n2", 5, 0, 0));

        assertThat(follower.core().currentTerm()).isEqualTo(1);
        assertThat(follower.core().votedFor()).isNull();
        assertThat(follower.core().leaderId()).hasToString("n1");
        assertThat(follower.takeSent()).isEmpty();
    }
}
