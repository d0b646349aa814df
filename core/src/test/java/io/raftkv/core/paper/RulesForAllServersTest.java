package io.raftkv.core.paper;

import static io.raftkv.core.harness.Msgs.append;
import static io.raftkv.core.harness.Msgs.appendAccepted;
import static io.raftkv.core.harness.Msgs.appendRejected;
import static io.raftkv.core.harness.Msgs.entriesFrom;
import static io.raftkv.core.harness.Msgs.heartbeat;
import static io.raftkv.core.harness.Msgs.preVoteGranted;
import static io.raftkv.core.harness.Msgs.preVoteRejected;
import static io.raftkv.core.harness.Msgs.voteRejected;
import static io.raftkv.core.harness.Msgs.voteRequest;
import static org.assertj.core.api.Assertions.assertThat;

import io.raftkv.core.LogEntry;
import io.raftkv.core.RaftRole;
import io.raftkv.core.Ready;
import io.raftkv.core.harness.TestNode;
import io.raftkv.core.message.RaftMessage;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Paper Figure 2, "Rules for Servers — All Servers". */
class RulesForAllServersTest {

    /**
     * §5.3: "If commitIndex > lastApplied: increment lastApplied, apply log[lastApplied] to state
     * machine". Committed entries reach the driver in index order, each once, and only up to commitIndex.
     */
    @Test
    void ifCommitIndexAboveLastAppliedApplyInOrder() {
        TestNode follower = TestNode.builder("n2").voters("n1", "n2", "n3").build();

        follower.step(append("n1", "n2", 1, 0, 0, 2, entriesFrom(1, 1, 1, 1)));
        assertThat(follower.core().log().commitIndex()).isEqualTo(2);
        assertThat(follower.applied()).extracting(LogEntry::index).containsExactly(1L, 2L);
        assertThat(follower.core().log().appliedIndex()).isEqualTo(2);

        follower.step(append("n1", "n2", 1, 3, 1, 3));
        assertThat(follower.applied()).extracting(LogEntry::index).containsExactly(1L, 2L, 3L);
        assertThat(follower.core().log().appliedIndex()).isEqualTo(3);

        // Nothing is handed out twice: a repeated commit index produces no new committed entries.
        follower.takeReadies();
        follower.step(append("n1", "n2", 1, 3, 1, 3));
        assertThat(follower.takeReadies()).flatExtracting(Ready::committedEntries).isEmpty();
        assertThat(follower.applied()).hasSize(3);
    }

    /** §5.3 with §5.5: after a restart, everything up to the durable commitIndex is applied again, in order. */
    @Test
    void restartedServerReappliesCommittedEntriesInOrder() {
        TestNode node = TestNode.builder("n2").voters("n1", "n2", "n3").log(1, 1, 2, 2).term(2).commitIndex(3).build();

        assertThat(node.applied()).extracting(LogEntry::index).containsExactly(1L, 2L, 3L);
        assertThat(node.core().log().appliedIndex()).isEqualTo(3);
    }

    /** One way to put a fresh 3-voter server with pre-vote into each role at term 1 or 2. */
    private static TestNode inRole(RaftRole role) {
        TestNode node = TestNode.builder("n1").voters("n1", "n2", "n3").checkQuorum(false).build();
        switch (role) {
            case FOLLOWER -> node.step(heartbeat("n2", "n1", 1, 0, 0));
            case PRE_CANDIDATE -> node.tickUntil(c -> c.role() == RaftRole.PRE_CANDIDATE, 100);
            case CANDIDATE -> {
                node.tickUntil(c -> c.role() == RaftRole.PRE_CANDIDATE, 100);
                node.step(preVoteGranted("n2", "n1", 1));
            }
            case LEADER -> node.electSelf();
            default -> throw new IllegalArgumentException(role.toString());
        }
        assertThat(node.core().role()).isEqualTo(role);
        node.takeSent();
        return node;
    }

    static Stream<Arguments> higherTermMessages() {
        List<RaftRole> roles = List.of(RaftRole.FOLLOWER, RaftRole.PRE_CANDIDATE, RaftRole.CANDIDATE, RaftRole.LEADER);
        List<Function<Long, RaftMessage>> messages = List.of(
                t -> append("n2", "n1", t, 0, 0, 0),
                t -> heartbeat("n2", "n1", t, 0, 0),
                t -> voteRequest("n3", "n1", t, 5, 5),
                t -> appendAccepted("n2", "n1", t, 0),
                t -> appendRejected("n2", "n1", t, 0, 0, 0),
                t -> voteRejected("n2", "n1", t),
                t -> preVoteRejected("n2", "n1", t));
        return roles.stream().flatMap(r -> messages.stream().map(m -> Arguments.of(r, m, m.apply(9L).getClass().getSimpleName())));
    }

    /**
     * §5.1: "If RPC request or response contains term T > currentTerm: set currentTerm = T,
     * convert to follower" — from every role, for every kind of message that carries a real term.
     * (Check-quorum's leader lease is off here; with it on, a vote request inside the lease is
     * ignored instead, thesis §4.2.3, see CheckQuorumTest.)
     */
    @ParameterizedTest(name = "{0} receives {2}")
    @MethodSource("higherTermMessages")
    void ifRpcHasHigherTermConvertToFollower(RaftRole role, Function<Long, RaftMessage> message, String kind) {
        TestNode node = inRole(role);
        long higher = node.core().currentTerm() + 3;

        node.step(message.apply(higher));

        assertThat(node.core().currentTerm()).isEqualTo(higher);
        assertThat(node.core().role()).isEqualTo(RaftRole.FOLLOWER);
        assertThat(node.core().hardState().currentTerm()).isEqualTo(higher);
        assertThat(node.durable().hardState().currentTerm()).as("the new term is persisted").isEqualTo(higher);
        if (!kind.equals("RequestVoteRequest")) {
            assertThat(node.core().votedFor()).as("votedFor is reset in a new term").isNull();
        }
    }

    /** §5.1: the leader of a higher term becomes the known leader; other senders leave it unknown. */
    @Test
    void higherTermFromLeaderRecordsTheLeader() {
        TestNode node = inRole(RaftRole.LEADER);
        node.step(heartbeat("n3", "n1", 7, 0, 0));
        assertThat(node.core().leaderId()).hasToString("n3");

        TestNode other = inRole(RaftRole.LEADER);
        other.step(appendAccepted("n3", "n1", 7, 0));
        assertThat(other.core().leaderId()).isNull();
    }
}
