package io.raftkv.core.paper;

import static io.raftkv.core.harness.Msgs.voteRequest;
import static org.assertj.core.api.Assertions.assertThat;

import io.raftkv.core.HardState;
import io.raftkv.core.NodeId;
import io.raftkv.core.Ready;
import io.raftkv.core.harness.TestNode;
import io.raftkv.core.message.RequestVoteResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Paper Figure 2, "RequestVote RPC — Receiver implementation" (§5.1, §5.2, §5.4.1). */
class RequestVoteReceiverTest {

    /** A voter whose log ends at index 3, term 2; check-quorum is on but it has no leader, so no lease applies. */
    private static TestNode voter(long term) {
        return TestNode.builder("n1").voters("n1", "n2", "n3").log(1, 2, 2).term(term).build();
    }

    private static RequestVoteResponse onlyResponse(TestNode node) {
        return node.takeSent(RequestVoteResponse.class).stream().reduce((a, b) -> {
            throw new AssertionError("more than one response: " + a + ", " + b);
        }).orElseThrow(() -> new AssertionError("no RequestVote response"));
    }

    /** Rule 1, §5.1: "Reply false if term < currentTerm", with the current term. */
    @Test
    void replyFalseIfTermLessThanCurrentTerm() {
        TestNode node = voter(5);

        node.step(voteRequest("n2", "n1", 4, 10, 4));

        RequestVoteResponse response = onlyResponse(node);
        assertThat(response.voteGranted()).isFalse();
        assertThat(response.term()).isEqualTo(5);
        assertThat(node.core().votedFor()).isNull();
        assertThat(node.core().currentTerm()).isEqualTo(5);
    }

    /**
     * Rule 2, §5.2 and §5.4.1: "If votedFor is null or candidateId, and candidate's log is at least
     * as up-to-date as receiver's log, grant vote". The voter's log ends at (index 3, term 2):
     * a higher last term wins whatever the length; with an equal last term the longer log wins.
     */
    @ParameterizedTest(name = "candidate last entry {0}@{1} -> granted {2}")
    @CsvSource({
        "1, 3, true",   // higher last term, shorter log
        "9, 3, true",   // higher last term, longer log
        "3, 2, true",   // equal last term, equal length
        "4, 2, true",   // equal last term, longer log
        "2, 2, false",  // equal last term, shorter log
        "9, 1, false",  // lower last term, longer log
        "0, 0, false",  // empty log
    })
    void grantIfVotedForNullAndCandidateLogAtLeastAsUpToDate(long lastIndex, long lastTerm, boolean granted) {
        TestNode node = voter(2);

        node.step(voteRequest("n2", "n1", 3, lastIndex, lastTerm));

        RequestVoteResponse response = onlyResponse(node);
        assertThat(response.voteGranted()).isEqualTo(granted);
        assertThat(response.term()).isEqualTo(3);
        assertThat(node.core().currentTerm()).as("the higher term is adopted either way (§5.1)").isEqualTo(3);
        assertThat(node.core().votedFor()).isEqualTo(granted ? NodeId.of("n2") : null);
    }

    /** Rule 2: votedFor == candidateId: a retransmitted request from the same candidate is granted again. */
    @Test
    void grantAgainIfVotedForIsThisCandidate() {
        TestNode node = voter(2);
        node.step(voteRequest("n2", "n1", 3, 3, 2));
        assertThat(onlyResponse(node).voteGranted()).isTrue();

        node.step(voteRequest("n2", "n1", 3, 3, 2));

        assertThat(onlyResponse(node).voteGranted()).isTrue();
    }

    /** §5.2: "Each server will vote for at most one candidate in a given term, on a first-come-first-served basis." */
    @Test
    void oneVotePerTerm() {
        TestNode node = voter(2);
        node.step(voteRequest("n2", "n1", 3, 3, 2));
        assertThat(onlyResponse(node).voteGranted()).isTrue();

        node.step(voteRequest("n3", "n1", 3, 9, 3)); // a better log, same term: still refused

        assertThat(onlyResponse(node).voteGranted()).isFalse();
        assertThat(node.core().votedFor()).hasToString("n2");

        node.step(voteRequest("n3", "n1", 4, 9, 3)); // a new term: a new vote
        assertThat(onlyResponse(node).voteGranted()).isTrue();
        assertThat(node.core().votedFor()).hasToString("n3");
    }

    /**
     * Figure 2 persistent state and R-ELECT-4: "updated on stable storage before responding to
     * RPCs": the term and vote are in the Ready's hard state, and the grant is only in
     * messagesAfterPersist, never in the messages that may leave first.
     */
    @Test
    void voteAndTermArePersistedBeforeTheGrantLeaves() {
        TestNode node = voter(2);
        node.takeReadies();

        node.step(voteRequest("n2", "n1", 3, 3, 2));

        Ready ready = node.takeReadies().get(0);
        assertThat(ready.hardState()).isEqualTo(new HardState(3, NodeId.of("n2"), 0));
        assertThat(ready.messages()).noneMatch(RequestVoteResponse.class::isInstance);
        assertThat(ready.messagesAfterPersist()).singleElement()
                .satisfies(m -> assertThat(((RequestVoteResponse) m).voteGranted()).isTrue());
    }
}
