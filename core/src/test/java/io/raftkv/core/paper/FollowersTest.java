package io.raftkv.core.paper;

import static io.raftkv.core.harness.Msgs.append;
import static io.raftkv.core.harness.Msgs.entriesFrom;
import static io.raftkv.core.harness.Msgs.heartbeat;
import static io.raftkv.core.harness.Msgs.voteRequest;
import static org.assertj.core.api.Assertions.assertThat;

import io.raftkv.core.NodeId;
import io.raftkv.core.ProposeResult;
import io.raftkv.core.RaftRole;
import io.raftkv.core.harness.TestNode;
import io.raftkv.core.message.AppendEntriesResponse;
import io.raftkv.core.message.HeartbeatResponse;
import io.raftkv.core.message.RequestVoteRequest;
import io.raftkv.core.message.RequestVoteResponse;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Paper Figure 2, "Rules for Servers — Followers (§5.2)". */
class FollowersTest {
    private static final int ELECTION_TICKS = 15;

    private static TestNode follower(long seed) {
        return TestNode.builder("n1").voters("n1", "n2", "n3").preVote(false).seed(seed).build();
    }

    /** §5.2: "Respond to RPCs from candidates and leaders": every request gets an answer addressed to its sender. */
    @Test
    void respondToRpcsFromCandidatesAndLeaders() {
        TestNode node = follower(1);

        node.step(voteRequest("n2", "n1", 1, 0, 0));
        assertThat(node.takeSent(RequestVoteResponse.class)).singleElement()
                .satisfies(r -> assertThat(r.to()).hasToString("n2"))
                .satisfies(r -> assertThat(r.voteGranted()).isTrue());

        node.step(append("n2", "n1", 1, 0, 0, 0, entriesFrom(1, 1)));
        assertThat(node.takeSent(AppendEntriesResponse.class)).singleElement()
                .satisfies(r -> assertThat(r.to()).hasToString("n2"))
                .satisfies(r -> assertThat(r.success()).isTrue())
                .satisfies(r -> assertThat(r.matchIndex()).isEqualTo(1));

        node.step(heartbeat("n2", "n1", 1, 1, 0));
        assertThat(node.takeSent(HeartbeatResponse.class)).singleElement()
                .satisfies(r -> assertThat(r.to()).hasToString("n2"));
        assertThat(node.core().role()).isEqualTo(RaftRole.FOLLOWER);
        assertThat(node.core().leaderId()).hasToString("n2");
    }

    /**
     * §5.2: "If election timeout elapses without receiving AppendEntries RPC from current leader
     * or granting vote to candidate: convert to candidate"; the timeout is at least electionTicks.
     */
    @Test
    void electionTimeoutWithoutAppendEntriesOrGrantedVoteConvertsToCandidate() {
        TestNode node = follower(1);
        node.tick(ELECTION_TICKS - 1);
        assertThat(node.core().role()).isEqualTo(RaftRole.FOLLOWER);

        int more = node.tickUntil(c -> c.role() == RaftRole.CANDIDATE, ELECTION_TICKS + 1);

        assertThat(ELECTION_TICKS - 1 + more).isBetween(ELECTION_TICKS, 2 * ELECTION_TICKS - 1);
        assertThat(node.core().currentTerm()).isEqualTo(1);
        assertThat(node.sent(RequestVoteRequest.class)).hasSize(2);
    }

    /** §5.2: AppendEntries (and heartbeats) from the current leader keep resetting the election timer. */
    @Test
    void appendEntriesFromLeaderResetsElectionTimer() {
        TestNode node = follower(1);
        node.step(heartbeat("n2", "n1", 1, 0, 0));
        for (int round = 0; round < 20; round++) {
            node.tick(ELECTION_TICKS - 1);
            if (round % 2 == 0) {
                node.step(heartbeat("n2", "n1", 1, 0, 0));
            } else {
                node.step(append("n2", "n1", 1, 0, 0, 0));
            }
            assertThat(node.core().role()).isEqualTo(RaftRole.FOLLOWER);
        }
        assertThat(node.core().currentTerm()).isEqualTo(1);
    }

    /**
     * §5.2: granting a vote resets the election timer. A twin node with the same seed shows when
     * the timeout would fire; the voting node, which grants a vote just before that, stays a follower.
     */
    @Test
    void grantingVoteResetsElectionTimer() {
        TestNode twin = follower(5);
        int timeout = twin.tickUntil(c -> c.role() == RaftRole.CANDIDATE, 2 * ELECTION_TICKS);

        TestNode node = follower(5);
        node.tick(timeout - 1);
        node.step(voteRequest("n2", "n1", 0, 0, 0)); // same term 0: no term change resets anything
        node.takeSent();
        node.tick(ELECTION_TICKS - 1);

        assertThat(node.core().role()).isEqualTo(RaftRole.FOLLOWER);
        assertThat(node.core().votedFor()).hasToString("n2");
    }

    /** §5.2, §5.6: the timeout is drawn from [electionTicks, 2 * electionTicks) by the injected random, so it varies. */
    @Test
    void electionTimeoutIsRandomizedBetweenOneAndTwoElectionTimeouts() {
        Set<Integer> timeouts = new HashSet<>();
        for (long seed = 1; seed <= 60; seed++) {
            int t = follower(seed).tickUntil(c -> c.role() == RaftRole.CANDIDATE, 2 * ELECTION_TICKS);
            assertThat(t).isBetween(ELECTION_TICKS, 2 * ELECTION_TICKS - 1);
            timeouts.add(t);
        }
        assertThat(timeouts).as("distinct timeouts over 60 seeds").hasSizeGreaterThan(5);
        // The same seed gives the same timeout: elections are reproducible.
        assertThat(follower(9).tickUntil(c -> c.role() == RaftRole.CANDIDATE, 40))
                .isEqualTo(follower(9).tickUntil(c -> c.role() == RaftRole.CANDIDATE, 40));
    }

    /** §8: a follower does not accept client commands; it answers with the leader it knows. */
    @Test
    void clientCommandToFollowerIsRefusedWithLeaderHint() {
        TestNode node = follower(1);
        assertThat(node.propose("x")).isEqualTo(new ProposeResult.NotLeader(null));

        node.step(heartbeat("n3", "n1", 1, 0, 0));
        assertThat(node.propose("x")).isEqualTo(new ProposeResult.NotLeader(NodeId.of("n3")));
        assertThat(node.core().log().lastIndex()).isZero();
    }
}
