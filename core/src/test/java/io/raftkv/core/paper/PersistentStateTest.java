package io.raftkv.core.paper;

import static io.raftkv.core.harness.Msgs.append;
import static io.raftkv.core.harness.Msgs.entriesFrom;
import static io.raftkv.core.harness.Msgs.voteRequest;
import static org.assertj.core.api.Assertions.assertThat;

import io.raftkv.core.LogEntry;
import io.raftkv.core.RaftRole;
import io.raftkv.core.harness.TestNode;
import io.raftkv.core.message.AppendEntriesResponse;
import io.raftkv.core.message.RequestVoteResponse;
import org.junit.jupiter.api.Test;

/**
 * Paper Figure 2, "Persistent state on all servers (updated on stable storage before responding
 * to RPCs)": currentTerm, votedFor, log[]; §5.5 crashes. R-ELECT-4, R-DISK-1.
 */
class PersistentStateTest {

    private static TestNode voter() {
        return TestNode.builder("n1").voters("n1", "n2", "n3").build();
    }

    /** §5.5: currentTerm and votedFor survive a crash, so a restarted server cannot vote twice in a term. */
    @Test
    void termAndVoteSurviveACrash() {
        TestNode node = voter();
        node.step(voteRequest("n2", "n1", 5, 0, 0));
        assertThat(node.takeSent(RequestVoteResponse.class)).singleElement()
                .satisfies(r -> assertThat(r.voteGranted()).isTrue());

        node.crash();
        node.restart();

        assertThat(node.core().currentTerm()).isEqualTo(5);
        assertThat(node.core().votedFor()).hasToString("n2");
        node.step(voteRequest("n3", "n1", 5, 0, 0));
        assertThat(node.takeSent(RequestVoteResponse.class)).singleElement()
                .satisfies(r -> assertThat(r.voteGranted()).isFalse());
        node.step(voteRequest("n2", "n1", 5, 0, 0));
        assertThat(node.takeSent(RequestVoteResponse.class)).singleElement()
                .satisfies(r -> assertThat(r.voteGranted()).isTrue());
    }

    /** §5.5: acknowledged log entries survive a crash; the restarted server starts as a follower (R-ELECT-1). */
    @Test
    void acknowledgedEntriesSurviveACrash() {
        TestNode node = voter();
        node.step(append("n2", "n1", 1, 0, 0, 1, entriesFrom(1, 1, 1, 1)));
        assertThat(node.takeSent(AppendEntriesResponse.class)).singleElement()
                .satisfies(r -> assertThat(r.matchIndex()).isEqualTo(3));

        node.crash();
        node.restart();

        assertThat(node.core().log().lastIndex()).isEqualTo(3);
        assertThat(node.core().log().commitIndex()).isEqualTo(1);
        assertThat(node.core().role()).isEqualTo(RaftRole.FOLLOWER);
        assertThat(node.core().leaderId()).isNull();
        assertThat(node.applied()).extracting(LogEntry::index).containsExactly(1L);
    }

    /**
     * A vote whose Ready was never persisted was never sent either: after a crash the server may
     * forget it, and it did not promise anything.
     */
    @Test
    void unpersistedVoteIsNeverSentAndIsForgotten() {
        TestNode node = voter();
        node.stallDisk();
        node.step(voteRequest("n2", "n1", 5, 0, 0));
        assertThat(node.core().votedFor()).hasToString("n2");
        assertThat(node.sent(RequestVoteResponse.class)).as("the grant waits for the disk").isEmpty();

        node.crash();
        node.restart();

        assertThat(node.core().currentTerm()).isZero();
        assertThat(node.core().votedFor()).isNull();
    }

    /** An append whose Ready was never persisted is never acknowledged. */
    @Test
    void unpersistedEntriesAreNeverAcknowledged() {
        TestNode node = voter();
        node.stallDisk();
        node.step(append("n2", "n1", 1, 0, 0, 0, entriesFrom(1, 1, 1)));
        assertThat(node.sent(AppendEntriesResponse.class)).isEmpty();

        node.resumeDisk();

        assertThat(node.sent(AppendEntriesResponse.class)).singleElement()
                .satisfies(r -> assertThat(r.matchIndex()).isEqualTo(2));
        assertThat(node.durable().log()).hasSize(2);
    }
}
