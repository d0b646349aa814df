package io.raftkv.core.paper;

import static io.raftkv.core.harness.Msgs.append;
import static io.raftkv.core.harness.Msgs.heartbeat;
import static io.raftkv.core.harness.Msgs.voteGranted;
import static io.raftkv.core.harness.Msgs.voteRejected;
import static org.assertj.core.api.Assertions.assertThat;

import io.raftkv.core.HardState;
import io.raftkv.core.NodeId;
import io.raftkv.core.RaftRole;
import io.raftkv.core.Ready;
import io.raftkv.core.harness.TestNode;
import io.raftkv.core.message.AppendEntriesResponse;
import io.raftkv.core.message.RequestVoteRequest;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Paper Figure 2, "Rules for Servers — Candidates (§5.2)". Pre-vote is off here; see PreVoteTest. */
class CandidatesTest {
    private static final int ELECTION_TICKS = 15;

    private static TestNode candidate(String... voters) {
        TestNode node = TestNode.builder("n1").voters(voters).preVote(false).build();
        node.tickUntil(c -> c.role() == RaftRole.CANDIDATE, 2 * ELECTION_TICKS);
        return node;
    }

    /**
     * §5.2: "On conversion to candidate, start election: increment currentTerm, vote for self,
     * reset election timer, send RequestVote RPCs to all other servers". The term and vote are in
     * the Ready's hard state and the requests leave only after it is persisted (R-ELECT-4).
     */
    @Test
    void onConversionIncrementTermVoteForSelfResetTimerSendRequestVote() {
        TestNode node = TestNode.builder("n1").voters("n1", "n2", "n3").preVote(false).log(1, 1).term(1).build();
        node.tickUntil(c -> c.role() == RaftRole.CANDIDATE, 2 * ELECTION_TICKS);

        assertThat(node.core().currentTerm()).isEqualTo(2);
        assertThat(node.core().votedFor()).hasToString("n1");
        Ready ready = node.readies().get(node.readies().size() - 1);
        assertThat(ready.hardState()).isEqualTo(new HardState(2, NodeId.of("n1"), 0));
        assertThat(ready.messages()).noneMatch(RequestVoteRequest.class::isInstance);
        assertThat(ready.messagesAfterPersist()).hasSize(2).allSatisfy(m -> {
            RequestVoteRequest r = (RequestVoteRequest) m;
            assertThat(r.term()).isEqualTo(2);
            assertThat(r.lastLogIndex()).isEqualTo(2);
            assertThat(r.lastLogTerm()).isEqualTo(1);
            assertThat(r.preVote()).isFalse();
        });
        assertThat(node.sent(RequestVoteRequest.class)).extracting(m -> m.to().value())
                .containsExactlyInAnyOrder("n2", "n3");

        // Timer reset: no new election for at least electionTicks.
        node.tick(ELECTION_TICKS - 1);
        assertThat(node.core().currentTerm()).isEqualTo(2);
        assertThat(node.core().role()).isEqualTo(RaftRole.CANDIDATE);
    }

    /** §5.2: "If votes received from majority of servers: become leader" — and not before; a repeated vote counts once. */
    @Test
    void majorityVotesBecomeLeader() {
        TestNode node = candidate("n1", "n2", "n3", "n4", "n5");
        long term = node.core().currentTerm();

        node.step(voteGranted("n2", "n1", term));
        node.step(voteGranted("n2", "n1", term));
        assertThat(node.core().role()).as("2 of 5 votes, one of them repeated").isEqualTo(RaftRole.CANDIDATE);

        node.step(voteGranted("n3", "n1", term));
        assertThat(node.core().role()).isEqualTo(RaftRole.LEADER);
        assertThat(node.core().leaderId()).hasToString("n1");
        assertThat(node.core().currentTerm()).isEqualTo(term);
    }

    /** §5.2: a candidate that a majority refused has lost this election; it waits for a new timeout as a follower. */
    @Test
    void majorityRejectionsEndTheCandidacy() {
        TestNode node = candidate("n1", "n2", "n3");
        long term = node.core().currentTerm();

        node.step(voteRejected("n2", "n1", term));
        assertThat(node.core().role()).isEqualTo(RaftRole.CANDIDATE);
        node.step(voteRejected("n3", "n1", term));

        assertThat(node.core().role()).isEqualTo(RaftRole.FOLLOWER);
        assertThat(node.core().currentTerm()).isEqualTo(term);
        assertThat(node.core().votedFor()).as("its own vote in this term stands").hasToString("n1");
    }

    /** §5.2: "If AppendEntries RPC received from new leader: convert to follower" — same term, by AppendEntries or heartbeat. */
    @Test
    void appendEntriesFromNewLeaderConvertsToFollower() {
        TestNode byAppend = candidate("n1", "n2", "n3");
        long term = byAppend.core().currentTerm();
        byAppend.takeSent();
        byAppend.step(append("n2", "n1", term, 0, 0, 0));
        assertThat(byAppend.core().role()).isEqualTo(RaftRole.FOLLOWER);
        assertThat(byAppend.core().leaderId()).hasToString("n2");
        assertThat(byAppend.core().currentTerm()).isEqualTo(term);
        assertThat(byAppend.sent(AppendEntriesResponse.class)).singleElement()
                .satisfies(r -> assertThat(r.success()).isTrue());

        TestNode byHeartbeat = candidate("n1", "n2", "n3");
        byHeartbeat.step(heartbeat("n3", "n1", term, 0, 0));
        assertThat(byHeartbeat.core().role()).isEqualTo(RaftRole.FOLLOWER);
        assertThat(byHeartbeat.core().leaderId()).hasToString("n3");
    }

    /** §5.2: "If election timeout elapses: start new election" with a new term. */
    @Test
    void electionTimeoutStartsNewElection() {
        TestNode node = candidate("n1", "n2", "n3");
        node.takeSent();

        node.tickUntil(c -> c.currentTerm() == 2, 2 * ELECTION_TICKS);

        assertThat(node.core().role()).isEqualTo(RaftRole.CANDIDATE);
        assertThat(node.core().votedFor()).hasToString("n1");
        List<RequestVoteRequest> requests = node.sent(RequestVoteRequest.class);
        assertThat(requests).hasSize(2).allSatisfy(r -> assertThat(r.term()).isEqualTo(2));
    }

    /** §5.2: a single-voter cluster elects itself at its first timeout. */
    @Test
    void singleVoterElectsItself() {
        TestNode node = TestNode.builder("n1").voters("n1").build();
        node.tickUntil(c -> c.role() == RaftRole.LEADER, 2 * ELECTION_TICKS);
        assertThat(node.core().currentTerm()).isEqualTo(1);
        assertThat(node.core().log().commitIndex()).as("its no-op commits on its own disk write").isEqualTo(1);
    }
}
