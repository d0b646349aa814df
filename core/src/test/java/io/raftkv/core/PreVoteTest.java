package io.raftkv.core;

import static io.raftkv.core.harness.Msgs.heartbeat;
import static io.raftkv.core.harness.Msgs.preVoteGranted;
import static io.raftkv.core.harness.Msgs.preVoteRejected;
import static io.raftkv.core.harness.Msgs.preVoteRequest;
import static org.assertj.core.api.Assertions.assertThat;

import io.raftkv.core.harness.TestNode;
import io.raftkv.core.message.RequestVoteRequest;
import io.raftkv.core.message.RequestVoteResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Pre-vote (thesis §9.6, R-ELECT-8): ask whether an election could be won before disturbing anyone. */
class PreVoteTest {
    private static final int ELECTION_TICKS = 15;

    private static TestNode preCandidate(long... logTerms) {
        TestNode node = TestNode.builder("n1").voters("n1", "n2", "n3").log(logTerms).build();
        node.tickUntil(c -> c.role() == RaftRole.PRE_CANDIDATE, 2 * ELECTION_TICKS);
        return node;
    }

    /**
     * Thesis §9.6: a pre-candidate neither bumps its term nor votes; its requests name the term it
     * would campaign in and may leave before any persistence, since they promise nothing.
     */
    @Test
    void preCandidateDoesNotBumpItsTerm() {
        TestNode node = TestNode.builder("n1").voters("n1", "n2", "n3").log(1, 2).term(3).build();
        node.takeReadies();

        node.tickUntil(c -> c.role() == RaftRole.PRE_CANDIDATE, 2 * ELECTION_TICKS);

        assertThat(node.core().currentTerm()).isEqualTo(3);
        assertThat(node.core().votedFor()).isNull();
        assertThat(node.takeReadies()).allSatisfy(r -> {
            assertThat(r.hardState()).as("nothing to persist").isNull();
            assertThat(r.messagesAfterPersist()).isEmpty();
        });
        assertThat(node.sent(RequestVoteRequest.class)).hasSize(2).allSatisfy(r -> {
            assertThat(r.preVote()).isTrue();
            assertThat(r.term()).isEqualTo(4);
            assertThat(r.lastLogIndex()).isEqualTo(2);
            assertThat(r.lastLogTerm()).isEqualTo(2);
        });
        assertThat(node.durable().hardState().currentTerm()).isEqualTo(3);
    }

    /** Thesis §9.6: a majority of pre-votes (its own included) leads to a real election in term + 1. */
    @Test
    void majorityOfPreVotesLeadsToRealElection() {
        TestNode node = preCandidate();
        node.takeSent();

        node.step(preVoteGranted("n2", "n1", 1));

        assertThat(node.core().role()).isEqualTo(RaftRole.CANDIDATE);
        assertThat(node.core().currentTerm()).isEqualTo(1);
        assertThat(node.core().votedFor()).hasToString("n1");
        assertThat(node.sent(RequestVoteRequest.class)).hasSize(2)
                .allSatisfy(r -> {
                    assertThat(r.preVote()).isFalse();
                    assertThat(r.term()).isEqualTo(1);
                });
    }

    /** A pre-candidate refused by a majority goes back to follower, still in its old term. */
    @Test
    void preVoteRejectedByMajorityReturnsToFollower() {
        TestNode node = preCandidate();
        node.step(preVoteRejected("n2", "n1", 0));
        assertThat(node.core().role()).isEqualTo(RaftRole.PRE_CANDIDATE);
        node.step(preVoteRejected("n3", "n1", 0));

        assertThat(node.core().role()).isEqualTo(RaftRole.FOLLOWER);
        assertThat(node.core().currentTerm()).isZero();
    }

    /** Thesis §9.6: a voter grants a pre-vote to an up-to-date log without changing its own term or vote. */
    @Test
    void grantingAPreVoteChangesNoState() {
        TestNode voter = TestNode.builder("n2").voters("n1", "n2", "n3").log(1, 1).term(1).build();
        voter.takeReadies();

        voter.step(preVoteRequest("n1", "n2", 2, 2, 1));

        RequestVoteResponse response = voter.takeSent(RequestVoteResponse.class).get(0);
        assertThat(response.voteGranted()).isTrue();
        assertThat(response.preVote()).isTrue();
        assertThat(response.term()).as("answers with the proposed term").isEqualTo(2);
        assertThat(voter.core().currentTerm()).isEqualTo(1);
        assertThat(voter.core().votedFor()).isNull();
        assertThat(voter.takeReadies()).allSatisfy(r -> assertThat(r.hardState()).isNull());
    }

    /** §5.4.1 applies to pre-votes too: a stale log gets no pre-vote. */
    @Test
    void preVoteRefusedToAStaleLog() {
        TestNode voter = TestNode.builder("n2").voters("n1", "n2", "n3").log(1, 2).term(2).build();

        voter.step(preVoteRequest("n1", "n2", 3, 5, 1));

        assertThat(voter.takeSent(RequestVoteResponse.class)).singleElement()
                .satisfies(r -> assertThat(r.voteGranted()).isFalse());
        assertThat(voter.core().currentTerm()).isEqualTo(2);
    }

    /**
     * Thesis §9.6: a server grants a pre-vote only if it "has not received heartbeats from a valid
     * leader for at least a baseline election timeout" — with or without check-quorum. Once that
     * timeout passes without a heartbeat, it grants.
     */
    @ParameterizedTest(name = "checkQuorum={0}")
    @ValueSource(booleans = {true, false})
    void preVoteNotGrantedWhileVoterHearsFromLeader(boolean checkQuorum) {
        TestNode voter = TestNode.builder("n2").voters("n1", "n2", "n3").checkQuorum(checkQuorum).seed(3).build();
        voter.step(heartbeat("n1", "n2", 1, 0, 0));
        voter.takeSent();

        voter.tick(ELECTION_TICKS - 1);
        voter.step(preVoteRequest("n3", "n2", 2, 0, 0));

        assertThat(voter.takeSent(RequestVoteResponse.class)).noneMatch(RequestVoteResponse::voteGranted);
        assertThat(voter.core().currentTerm()).isEqualTo(1);
        assertThat(voter.core().leaderId()).hasToString("n1");

        voter.tick();
        voter.step(preVoteRequest("n3", "n2", 2, 0, 0));

        assertThat(voter.takeSent(RequestVoteResponse.class)).anyMatch(RequestVoteResponse::voteGranted);
        assertThat(voter.core().currentTerm()).isEqualTo(1);
    }

    /** Thesis §9.6 with §5.2: after a real election times out, the candidate runs a pre-vote again before another term. */
    @Test
    void candidateTimeoutRunsPreVoteAgain() {
        TestNode node = preCandidate();
        node.step(preVoteGranted("n2", "n1", 1));
        assertThat(node.core().role()).isEqualTo(RaftRole.CANDIDATE);

        node.tickUntil(c -> c.role() != RaftRole.CANDIDATE, 2 * ELECTION_TICKS);

        assertThat(node.core().role()).isEqualTo(RaftRole.PRE_CANDIDATE);
        assertThat(node.core().currentTerm()).isEqualTo(1);
    }
}
