package io.raftkv.core.paper;

import static io.raftkv.core.harness.Msgs.append;
import static io.raftkv.core.harness.Msgs.entriesFrom;
import static io.raftkv.core.harness.Msgs.entry;
import static io.raftkv.core.harness.Msgs.heartbeat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.raftkv.core.HardState;
import io.raftkv.core.LogEntry;
import io.raftkv.core.RaftRole;
import io.raftkv.core.Ready;
import io.raftkv.core.harness.TestNode;
import io.raftkv.core.message.AppendEntriesResponse;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Paper Figure 2, "AppendEntries RPC — Receiver implementation", rules 1 to 5 (§5.1, §5.3). */
class AppendEntriesReceiverTest {

    private static TestNode follower(long term, long... logTerms) {
        return TestNode.builder("n2").voters("n1", "n2", "n3").log(logTerms).term(term).build();
    }

    private static AppendEntriesResponse onlyResponse(TestNode node) {
        return node.takeSent(AppendEntriesResponse.class).stream().reduce((a, b) -> {
            throw new AssertionError("more than one response: " + a + ", " + b);
        }).orElseThrow(() -> new AssertionError("no AppendEntries response"));
    }

    /** Rule 1, §5.1: "Reply false if term < currentTerm", with the current term so the stale leader steps down. */
    @Test
    void replyFalseIfTermLessThanCurrentTerm() {
        TestNode node = follower(3, 1, 1);

        node.step(append("n1", "n2", 2, 2, 1, 2, entry(3, 2)));

        AppendEntriesResponse response = onlyResponse(node);
        assertThat(response.success()).isFalse();
        assertThat(response.term()).isEqualTo(3);
        assertThat(node.logTerms()).containsExactly(1, 1);
        assertThat(node.core().log().commitIndex()).isZero();
        assertThat(node.core().leaderId()).isNull();
        assertThat(node.core().currentTerm()).isEqualTo(3);

        node.step(heartbeat("n1", "n2", 2, 2, 0));
        assertThat(onlyResponse(node)).satisfies(r -> {
            assertThat(r.success()).isFalse();
            assertThat(r.term()).isEqualTo(3);
        });
        assertThat(node.core().log().commitIndex()).isZero();
    }

    /**
     * Rule 2, §5.3: "Reply false if log doesn't contain an entry at prevLogIndex whose term matches
     * prevLogTerm", with the conflict hint: the conflicting term and the first index held for it,
     * or the index after the last when the log is too short.
     */
    @Test
    void replyFalseIfLogDoesNotContainEntryAtPrevLogIndexWithPrevLogTerm() {
        TestNode shortLog = follower(2, 1, 2, 2);
        shortLog.step(append("n1", "n2", 3, 5, 3, 0, entry(6, 3)));
        AppendEntriesResponse tooShort = onlyResponse(shortLog);
        assertThat(tooShort.success()).isFalse();
        assertThat(tooShort.rejectedIndex()).isEqualTo(5);
        assertThat(tooShort.conflictTerm()).isZero();
        assertThat(tooShort.conflictIndex()).isEqualTo(4);
        assertThat(tooShort.term()).isEqualTo(3);

        TestNode mismatch = follower(2, 1, 2, 2, 2);
        mismatch.step(append("n1", "n2", 3, 4, 3, 0, entry(5, 3)));
        AppendEntriesResponse wrongTerm = onlyResponse(mismatch);
        assertThat(wrongTerm.success()).isFalse();
        assertThat(wrongTerm.rejectedIndex()).isEqualTo(4);
        assertThat(wrongTerm.conflictTerm()).isEqualTo(2);
        assertThat(wrongTerm.conflictIndex()).isEqualTo(2);
        assertThat(mismatch.logTerms()).as("a mismatch deletes nothing").containsExactly(1, 2, 2, 2);
        assertThat(mismatch.core().leaderId()).as("it is still the leader of the term").hasToString("n1");
    }

    /** Rule 2: the conflict hint never points at or below the commit index. */
    @Test
    void conflictHintStaysAboveCommitIndex() {
        TestNode node = TestNode.builder("n2").voters("n1", "n2", "n3").log(2, 2, 2, 2).term(2).commitIndex(2).build();
        node.step(append("n1", "n2", 3, 4, 3, 2));
        AppendEntriesResponse r = onlyResponse(node);
        assertThat(r.conflictTerm()).isEqualTo(2);
        assertThat(r.conflictIndex()).isEqualTo(3);
    }

    /**
     * Rule 3, §5.3: "If an existing entry conflicts with a new one (same index but different
     * terms), delete the existing entry and all that follow it"; the Ready replaces the stored suffix.
     */
    @Test
    void ifExistingEntryConflictsDeleteItAndAllThatFollow() {
        TestNode node = follower(2, 1, 1, 2, 2, 2);

        node.step(append("n1", "n2", 3, 2, 1, 0, entry(3, 3)));

        assertThat(node.logTerms()).containsExactly(1, 1, 3);
        assertThat(node.core().log().truncations()).isEqualTo(1);
        Ready ready = node.readies().get(node.readies().size() - 1);
        assertThat(ready.entriesToPersist()).containsExactly(entry(3, 3));
        assertThat(node.durable().log()).extracting(LogEntry::term).containsExactly(1L, 1L, 3L);
        assertThat(onlyResponse(node)).satisfies(r -> {
            assertThat(r.success()).isTrue();
            assertThat(r.matchIndex()).isEqualTo(3);
        });
    }

    /** Rule 3 and State Machine Safety: a committed entry is never deleted; a leader asking for it is a broken invariant. */
    @Test
    void neverDeletesACommittedEntry() {
        TestNode node = TestNode.builder("n2").voters("n1", "n2", "n3").log(1, 1, 2).term(2).commitIndex(3).build();

        assertThatThrownBy(() -> node.step(append("n1", "n2", 3, 1, 1, 0, entry(2, 3))))
                .isInstanceOf(IllegalStateException.class);
    }

    /** Rule 4, §5.3: "Append any new entries not already in the log"; only the new ones are persisted. */
    @Test
    void appendAnyNewEntriesNotAlreadyInTheLog() {
        TestNode node = follower(1, 1, 1);
        node.takeReadies();

        node.step(append("n1", "n2", 1, 1, 1, 0, entriesFrom(2, 1, 1, 1)));

        assertThat(node.logTerms()).containsExactly(1, 1, 1, 1);
        assertThat(node.takeReadies()).flatExtracting(Ready::entriesToPersist)
                .extracting(LogEntry::index).containsExactly(3L, 4L);
        assertThat(onlyResponse(node).matchIndex()).isEqualTo(4);
    }

    /**
     * Rules 3 and 4, §5.3: a delayed or duplicated request whose entries the log already holds
     * truncates nothing: a follower must not lose entries it already acknowledged.
     */
    @Test
    void duplicateOrStaleRequestTruncatesNothing() {
        TestNode node = follower(1, 1, 1, 1, 1, 1);
        node.takeReadies();

        node.step(append("n1", "n2", 1, 1, 1, 0, entry(2, 1)));
        node.step(append("n1", "n2", 1, 1, 1, 0, entry(2, 1)));

        assertThat(node.logTerms()).containsExactly(1, 1, 1, 1, 1);
        assertThat(node.core().log().truncations()).isZero();
        assertThat(node.takeReadies()).flatExtracting(Ready::entriesToPersist).isEmpty();
        assertThat(node.takeSent(AppendEntriesResponse.class)).hasSize(2)
                .allSatisfy(r -> assertThat(r.matchIndex()).isEqualTo(2));
    }

    /**
     * Rule 5, §5.3: "If leaderCommit > commitIndex, set commitIndex = min(leaderCommit, index of
     * last new entry)": entries beyond what the request verified are not committed on its word,
     * and commitIndex never moves back.
     */
    @Test
    void ifLeaderCommitAboveCommitIndexSetCommitIndexToMinOfLeaderCommitAndLastNewEntry() {
        TestNode node = follower(1, 1, 1, 1, 1, 1);

        node.step(append("n1", "n2", 1, 1, 1, 5, entry(2, 1)));
        assertThat(node.core().log().commitIndex()).isEqualTo(2);

        node.step(append("n1", "n2", 1, 3, 1, 5));
        assertThat(node.core().log().commitIndex()).isEqualTo(3);

        node.step(append("n1", "n2", 1, 4, 1, 4, entry(5, 1)));
        assertThat(node.core().log().commitIndex()).isEqualTo(4);

        node.step(append("n1", "n2", 1, 0, 0, 1));
        assertThat(node.core().log().commitIndex()).as("never decreases").isEqualTo(4);
        assertThat(node.durable().hardState().commitIndex())
                .as("a rise of the commit index alone is not persisted at once (it is volatile, Figure 2)").isZero();
        node.tick(2);
        assertThat(node.durable().hardState().commitIndex()).as("but within two ticks").isEqualTo(4);
    }

    /**
     * Figure 2 makes commitIndex volatile: a Ready that only raises it needs no fsync, so committed
     * entries are applied at once; the next Ready that persists entries carries the new value.
     */
    @Test
    void aCommitIndexRiseAloneNeedsNoPersistAndRidesWithTheNextEntries() {
        TestNode node = follower(1, 1, 1, 1);
        node.takeReadies();

        node.step(append("n1", "n2", 1, 3, 1, 3));
        List<Ready> commitOnly = node.takeReadies();
        assertThat(commitOnly).isNotEmpty().allSatisfy(r -> assertThat(r.needsPersist()).isFalse());
        assertThat(commitOnly.stream().flatMap(r -> r.committedEntries().stream()))
                .extracting(LogEntry::index).containsExactly(1L, 2L, 3L);

        node.step(append("n1", "n2", 1, 3, 1, 3, entry(4, 1)));
        List<Ready> withEntries = node.takeReadies();
        assertThat(withEntries).singleElement().satisfies(r -> {
            assertThat(r.hardState()).isEqualTo(new HardState(1, null, 3));
            assertThat(r.entriesToPersist()).extracting(LogEntry::index).containsExactly(4L);
        });
    }

    /**
     * Figure 2, "updated on stable storage before responding to RPCs" (R-DISK-1): the acknowledgement
     * is in messagesAfterPersist of the same Ready that carries the entries.
     */
    @Test
    void acknowledgementLeavesOnlyAfterTheEntriesArePersisted() {
        TestNode node = follower(1);
        node.takeReadies();

        node.step(append("n1", "n2", 1, 0, 0, 0, entriesFrom(1, 1, 1)));

        Ready ready = node.takeReadies().get(0);
        assertThat(ready.entriesToPersist()).hasSize(2);
        assertThat(ready.messages()).noneMatch(AppendEntriesResponse.class::isInstance);
        assertThat(ready.messagesAfterPersist()).singleElement().isInstanceOf(AppendEntriesResponse.class);
    }

    /** §5.2: a valid AppendEntries makes its sender the known leader and this server its follower. */
    @Test
    void acceptsTheSenderAsLeader() {
        TestNode node = follower(1);
        node.step(append("n3", "n2", 1, 0, 0, 0));
        assertThat(node.core().leaderId()).hasToString("n3");
        assertThat(node.core().role()).isEqualTo(RaftRole.FOLLOWER);
    }
}
