package io.raftkv.core.paper;

import static io.raftkv.core.harness.Msgs.append;
import static io.raftkv.core.harness.Msgs.appendAccepted;
import static io.raftkv.core.harness.Msgs.appendRejected;
import static io.raftkv.core.harness.Msgs.entry;
import static io.raftkv.core.harness.Msgs.voteGranted;
import static org.assertj.core.api.Assertions.assertThat;

import io.raftkv.core.EntryType;
import io.raftkv.core.LogEntry;
import io.raftkv.core.NodeId;
import io.raftkv.core.ProgressState;
import io.raftkv.core.ProposeResult;
import io.raftkv.core.RaftRole;
import io.raftkv.core.Ready;
import io.raftkv.core.harness.TestNode;
import io.raftkv.core.message.AppendEntriesRequest;
import io.raftkv.core.message.AppendEntriesResponse;
import io.raftkv.core.message.HeartbeatRequest;
import io.raftkv.core.message.RaftMessage;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Paper Figure 2, "Rules for Servers — Leaders" (§5.2, §5.3, §5.4). */
class LeadersTest {
    private static final int HEARTBEAT_TICKS = 3;

    /** A leader of n1..n3 elected from the given durable log; check-quorum off so idle ticks cannot depose it. */
    private static TestNode leader(long... logTerms) {
        long term = Arrays.stream(logTerms).max().orElse(0);
        TestNode node = TestNode.builder("n1").voters("n1", "n2", "n3").preVote(false).checkQuorum(false)
                .log(logTerms).term(term).build();
        node.electSelf();
        return node;
    }

    private static AppendEntriesRequest lastAppendTo(TestNode node, String peer) {
        List<AppendEntriesRequest> sent = node.sent(AppendEntriesRequest.class).stream()
                .filter(m -> m.to().value().equals(peer)).toList();
        assertThat(sent).as("AppendEntries sent to %s", peer).isNotEmpty();
        return sent.get(sent.size() - 1);
    }

    /**
     * §5.2: "Upon election: send initial empty AppendEntries RPCs (heartbeat) to each server; repeat
     * during idle periods to prevent election timeouts". Here the first AppendEntries carries the
     * no-op (R-ELECT-7) and leaves before the leader persists it (thesis §10.2.1); idle periods use
     * heartbeats every heartbeatTicks.
     */
    @Test
    void uponElectionSendHeartbeats() {
        TestNode node = TestNode.builder("n1").voters("n1", "n2", "n3").preVote(false).checkQuorum(false).build();
        node.tickUntil(c -> c.role() == RaftRole.CANDIDATE, 40);
        node.step(voteGranted("n2", "n1", 1));
        assertThat(node.core().role()).isEqualTo(RaftRole.LEADER);

        Ready won = node.readies().get(node.readies().size() - 1);
        assertThat(won.messages()).filteredOn(AppendEntriesRequest.class::isInstance)
                .extracting(m -> m.to().value()).containsExactlyInAnyOrder("n2", "n3");
        assertThat(won.messages()).filteredOn(AppendEntriesRequest.class::isInstance)
                .allSatisfy(m -> assertThat(m.term()).isEqualTo(1));
        node.takeSent();

        for (int period = 0; period < 20; period++) {
            node.tick(HEARTBEAT_TICKS - 1);
            assertThat(node.sent(HeartbeatRequest.class)).isEmpty();
            node.tick();
            assertThat(node.takeSent(HeartbeatRequest.class)).extracting(m -> m.to().value())
                    .containsExactlyInAnyOrder("n2", "n3");
        }
        assertThat(node.core().role()).isEqualTo(RaftRole.LEADER);
    }

    /** §5.4.2, §8, R-ELECT-7: a new leader appends a no-op entry of its own term. */
    @Test
    void appendsNoOpOnElection() {
        TestNode node = leader(1, 1, 2);

        LogEntry last = node.core().log().entry(node.core().log().lastIndex());
        assertThat(last.index()).isEqualTo(4);
        assertThat(last.type()).isEqualTo(EntryType.NO_OP);
        assertThat(last.term()).isEqualTo(node.core().currentTerm()).isEqualTo(3);
    }

    /**
     * §5.3: "If command received from client: append entry to local log, respond after entry
     * applied to state machine". The entry is in the log at once but reaches the state machine only
     * once a majority stores it.
     */
    @Test
    void clientCommandAppendedThenRespondAfterApplied() {
        TestNode node = leader();
        long term = node.core().currentTerm();
        node.step(appendAccepted("n2", "n1", term, 1)); // the no-op commits
        assertThat(node.core().log().commitIndex()).isEqualTo(1);

        ProposeResult result = node.propose("x");

        assertThat(result).isEqualTo(new ProposeResult.Accepted(2, term));
        assertThat(new String(node.core().log().entry(2).data(), StandardCharsets.UTF_8)).isEqualTo("x");
        assertThat(node.durable().log()).as("persisted by the driver").hasSize(2);
        assertThat(node.core().log().commitIndex()).isEqualTo(1);
        assertThat(node.appliedCommands()).isEmpty();

        node.step(appendAccepted("n3", "n1", term, 2));

        assertThat(node.core().log().commitIndex()).isEqualTo(2);
        assertThat(node.appliedCommands()).containsExactly("x");
        assertThat(node.applied().get(1).term()).isEqualTo(term);
    }

    /**
     * §5.3: "If last log index >= nextIndex for a follower: send AppendEntries RPC with log entries
     * starting at nextIndex" — for a follower that is up to date and for one far behind.
     */
    @Test
    void lastLogIndexAtLeastNextIndexSendsEntries() {
        TestNode node = leader(1, 1, 1, 1, 1);
        long term = node.core().currentTerm();
        node.step(appendAccepted("n2", "n1", term, 6));
        node.step(appendRejected("n3", "n1", term, 5, 0, 3)); // n3 holds only entries 1 and 2
        AppendEntriesRequest toN3 = lastAppendTo(node, "n3");
        assertThat(toN3.prevLogIndex()).isEqualTo(2);
        assertThat(toN3.prevLogTerm()).isEqualTo(1);
        assertThat(toN3.entries()).extracting(LogEntry::index).containsExactly(3L, 4L, 5L, 6L);
        node.takeSent();

        node.propose("y");

        AppendEntriesRequest toN2 = lastAppendTo(node, "n2");
        assertThat(toN2.prevLogIndex()).isEqualTo(6);
        assertThat(toN2.prevLogTerm()).isEqualTo(term);
        assertThat(toN2.entries()).extracting(LogEntry::index).containsExactly(7L);
    }

    /** §5.3: "If successful: update nextIndex and matchIndex for follower". */
    @Test
    void successUpdatesNextIndexAndMatchIndex() {
        TestNode node = leader(1, 1);
        long term = node.core().currentTerm();
        assertThat(node.core().matchIndexes()).containsEntry(NodeId.of("n2"), 0L);

        node.step(appendAccepted("n2", "n1", term, 3));

        assertThat(node.core().matchIndexes()).containsEntry(NodeId.of("n2"), 3L).containsEntry(NodeId.of("n3"), 0L);
        assertThat(node.core().progressStates()).containsEntry(NodeId.of("n2"), ProgressState.REPLICATE);
        node.takeSent();
        node.propose("z");
        assertThat(lastAppendTo(node, "n2").prevLogIndex()).as("nextIndex = matchIndex + 1").isEqualTo(3);
    }

    /**
     * §5.3: "If AppendEntries fails because of log inconsistency: decrement nextIndex and retry",
     * using the follower's conflict hint to skip a whole term per round trip. The leader's log is
     * the top one of Figure 7: terms 1 1 1 4 4 5 5 6 6 6, leader of term 8.
     */
    @Test
    void failureDecrementsNextIndexAndRetries() {
        long[] figure7 = {1, 1, 1, 4, 4, 5, 5, 6, 6, 6};

        // Follower log too short (conflictTerm 0): retry right after its last entry.
        TestNode a = figure7Leader(figure7);
        a.step(appendRejected("n2", "n1", 8, 10, 0, 5));
        assertThat(lastAppendTo(a, "n2").prevLogIndex()).isEqualTo(4);

        // Follower (e) of Figure 7: too short first, then a conflicting term the leader also has
        // (4, held at 4..5): retry after the leader's last entry of that term.
        TestNode b = figure7Leader(figure7);
        b.step(appendRejected("n2", "n1", 8, 10, 0, 8));
        assertThat(lastAppendTo(b, "n2").prevLogIndex()).isEqualTo(7);
        b.step(appendRejected("n2", "n1", 8, 7, 4, 4));
        assertThat(lastAppendTo(b, "n2").prevLogIndex()).isEqualTo(5);

        // Conflicting term the leader lacks (3): skip the follower's whole run of that term.
        TestNode c = figure7Leader(figure7);
        c.step(appendRejected("n2", "n1", 8, 10, 3, 7));
        AppendEntriesRequest retry = lastAppendTo(c, "n2");
        assertThat(retry.prevLogIndex()).isEqualTo(6);
        assertThat(retry.prevLogTerm()).isEqualTo(5);
        assertThat(retry.entries()).first().extracting(LogEntry::index).isEqualTo(7L);

        // A rejection for an index that is not the outstanding probe is stale and ignored.
        TestNode d = figure7Leader(figure7);
        d.step(appendRejected("n2", "n1", 8, 3, 1, 1));
        assertThat(d.sent(AppendEntriesRequest.class)).isEmpty();
    }

    private static TestNode figure7Leader(long[] terms) {
        TestNode node = TestNode.builder("n1").voters("n1", "n2", "n3").preVote(false).checkQuorum(false)
                .log(terms).term(7).build();
        node.electSelf();
        assertThat(node.core().currentTerm()).isEqualTo(8);
        return node;
    }

    static Stream<Arguments> figure7Followers() {
        return Stream.of(
                Arguments.of("a", new long[] {1, 1, 1, 4, 4, 5, 5, 6, 6}),
                Arguments.of("b", new long[] {1, 1, 1, 4}),
                Arguments.of("c", new long[] {1, 1, 1, 4, 4, 5, 5, 6, 6, 6, 6}),
                Arguments.of("d", new long[] {1, 1, 1, 4, 4, 5, 5, 6, 6, 6, 7, 7}),
                Arguments.of("e", new long[] {1, 1, 1, 4, 4, 4, 4}),
                Arguments.of("f", new long[] {1, 1, 1, 2, 2, 2, 3, 3, 3, 3, 3}));
    }

    /**
     * §5.3 and Figure 7: the leader of term 8 brings each of the paper's six followers to its own
     * log; with the conflict hint, each needs at most one rejection per conflicting term plus one.
     */
    @ParameterizedTest(name = "follower ({0})")
    @MethodSource("figure7Followers")
    void leaderRepairsEveryFollowerOfFigure7(String name, long[] followerTerms) {
        TestNode leader = figure7Leader(new long[] {1, 1, 1, 4, 4, 5, 5, 6, 6, 6});
        long followerTerm = Arrays.stream(followerTerms).max().orElse(0);
        TestNode follower = TestNode.builder("n2").voters("n1", "n2", "n3").preVote(false).checkQuorum(false)
                .log(followerTerms).term(followerTerm).build();
        leader.tick(HEARTBEAT_TICKS); // a heartbeat round lets a paused probe go again

        int rejections = relay(leader, follower);

        assertThat(follower.logTerms()).containsExactly(leader.logTerms());
        long distinctConflictingTerms = Arrays.stream(followerTerms).distinct().filter(t -> t > 1).count();
        assertThat(rejections).isLessThanOrEqualTo((int) distinctConflictingTerms + 1);
        assertThat(leader.core().matchIndexes()).containsEntry(NodeId.of("n2"), 11L);
    }

    /** Delivers messages between n1 and n2 only, heartbeats included, until none is left; returns n2's rejections. */
    private static int relay(TestNode leader, TestNode follower) {
        int rejections = 0;
        List<RaftMessage> queue = new ArrayList<>(leader.takeSent());
        for (int steps = 0; !queue.isEmpty(); steps++) {
            assertThat(steps).as("relay terminates").isLessThan(1_000);
            RaftMessage m = queue.remove(0);
            if (m.to().equals(follower.id())) {
                follower.step(m);
                List<RaftMessage> answers = follower.takeSent();
                rejections += (int) answers.stream()
                        .filter(r -> r instanceof AppendEntriesResponse ar && !ar.success()).count();
                queue.addAll(answers);
            } else if (m.to().equals(leader.id())) {
                leader.step(m);
                queue.addAll(leader.takeSent());
            }
        }
        return rejections;
    }

    /**
     * §5.3, §5.4.2 (Figure 8): "If there exists an N such that N > commitIndex, a majority of
     * matchIndex[i] >= N, and log[N].term == currentTerm: set commitIndex = N". An entry of an
     * earlier term on a majority is not committed by counting; it commits with the first entry of
     * the current term.
     */
    @Test
    void commitOnlyCurrentTermEntriesByCounting() {
        TestNode node = leader(1, 2); // term 3 after the election, no-op at index 3
        long term = node.core().currentTerm();
        assertThat(term).isEqualTo(3);

        node.step(appendAccepted("n2", "n1", term, 2));
        assertThat(node.core().log().commitIndex()).as("index 2 (term 2) is on a majority but not committed")
                .isZero();
        assertThat(node.applied()).isEmpty();

        node.step(appendAccepted("n2", "n1", term, 3));
        assertThat(node.core().log().commitIndex()).isEqualTo(3);
        assertThat(node.applied()).extracting(LogEntry::index).containsExactly(1L, 2L, 3L);
    }

    /** §5.3, Figure 3 (Leader Append-Only): a leader never overwrites or deletes its entries, whatever it is sent. */
    @Test
    void leaderNeverOverwritesOrDeletesItsLog() {
        TestNode node = leader(1, 1, 2);
        long term = node.core().currentTerm();
        long[] before = node.logTerms();

        node.step(append("n2", "n1", term - 1, 1, 1, 0, entry(2, term - 1)));
        node.step(appendRejected("n2", "n1", term, 4, 2, 3));
        node.step(appendAccepted("n3", "n1", term, 99)); // cannot be an answer to this leader: ignored

        assertThat(node.logTerms()).containsExactly(before);
        assertThat(node.core().log().truncations()).isZero();
        assertThat(node.core().role()).isEqualTo(RaftRole.LEADER);
        assertThat(node.core().matchIndexes()).containsEntry(NodeId.of("n3"), 0L);
    }
}
