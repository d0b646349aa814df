package io.raftkv.core;

import static io.raftkv.core.harness.Msgs.entry;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.raftkv.core.harness.Msgs;
import io.raftkv.core.message.AppendEntriesRequest;
import io.raftkv.core.message.AppendEntriesResponse;
import io.raftkv.core.message.HeartbeatRequest;
import io.raftkv.core.message.HeartbeatResponse;
import io.raftkv.core.message.InstallSnapshotRequest;
import io.raftkv.core.message.ReadIndexRequest;
import io.raftkv.core.message.ReadIndexResponse;
import io.raftkv.core.message.RequestVoteRequest;
import io.raftkv.core.message.RequestVoteResponse;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every network input is validated on construction (SPEC §8): bad values never reach the core. */
class MessageValidationTest {
    private static final NodeId A = NodeId.of("n1");
    private static final NodeId B = NodeId.of("n2");

    /** A leadership transfer's election skips the pre-vote (thesis §3.10): a request cannot be both. */
    @Test
    void aVoteRequestIsNotBothAPreVoteAndATransfer() {
        assertThatThrownBy(() -> new RequestVoteRequest(1, A, B, 0, 0, true, true)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void negativeTermsAndIndexesAreRejected() {
        assertThatThrownBy(() -> new RequestVoteRequest(-1, A, B, 0, 0, false)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RequestVoteRequest(1, A, B, -1, 0, false)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RequestVoteRequest(1, A, B, 0, -1, false)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RequestVoteResponse(-1, A, B, true, false)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new io.raftkv.core.message.TimeoutNow(-1, A, B)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new AppendEntriesRequest(-1, A, B, 0, 0, List.of(), 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new AppendEntriesRequest(1, A, B, -1, 0, List.of(), 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new AppendEntriesRequest(1, A, B, 0, -1, List.of(), 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new AppendEntriesRequest(1, A, B, 0, 0, List.of(), -1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new AppendEntriesResponse(1, A, B, true, -1, 0, 0, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new AppendEntriesResponse(1, A, B, false, 0, -1, 0, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new AppendEntriesResponse(1, A, B, false, 0, 0, -1, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new AppendEntriesResponse(1, A, B, false, 0, 0, 0, -1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new HeartbeatRequest(1, A, B, -1, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new HeartbeatRequest(1, A, B, 0, -1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new HeartbeatResponse(-1, A, B, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new HeartbeatResponse(1, A, B, -1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ReadIndexRequest(-1, A, B, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ReadIndexResponse(1, A, B, 1, -1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void missingSenderOrReceiverIsRejected() {
        assertThatThrownBy(() -> new RequestVoteRequest(1, null, B, 0, 0, false)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> new HeartbeatRequest(1, A, null, 0, 0)).isInstanceOf(NullPointerException.class);
    }

    /** Paper §5.3: AppendEntries entries are consecutive from prevLogIndex + 1 and no newer than the message's term. */
    @Test
    void appendEntriesMustCarryConsecutiveEntriesAfterPrevLogIndex() {
        assertThatThrownBy(() -> new AppendEntriesRequest(2, A, B, 1, 1, List.of(entry(2, 1), entry(4, 1)), 0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new AppendEntriesRequest(2, A, B, 1, 1, List.of(entry(3, 1)), 0))
                .as("first entry not at prevLogIndex + 1").isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new AppendEntriesRequest(2, A, B, 1, 1, List.of(entry(2, 3)), 0))
                .as("entry from a later term than the message").isInstanceOf(IllegalArgumentException.class);
        assertThatCode(() -> new AppendEntriesRequest(2, A, B, 1, 1, List.of(entry(2, 1), entry(3, 2)), 0))
                .doesNotThrowAnyException();
    }

    @Test
    void appendEntriesRequestCopiesItsEntries() {
        List<LogEntry> entries = new java.util.ArrayList<>(List.of(entry(1, 1)));
        AppendEntriesRequest request = new AppendEntriesRequest(1, A, B, 0, 0, entries, 0);
        entries.add(entry(2, 1));
        assertThat(request.entries()).hasSize(1);
    }

    @Test
    void logEntriesNodeIdsAndStateAreValidated() {
        assertThatThrownBy(() -> new LogEntry(0, 1, EntryType.NORMAL, null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new LogEntry(1, 0, EntryType.NORMAL, null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> NodeId.of("")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> NodeId.of("a b")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> NodeId.of("x".repeat(NodeId.MAX_LENGTH + 1))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new HardState(-1, null, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new HardState(1, null, -1)).isInstanceOf(IllegalArgumentException.class);
    }

    /** A recovered state that cannot be right is refused at start, not discovered later. */
    @Test
    void inconsistentRecoveredStateIsRejected() {
        ClusterConfig config = ClusterConfig.ofVoters(List.of(A));
        assertThatThrownBy(() -> new InitialState(config, new HardState(2, null, 0), List.of(entry(1, 1), entry(3, 1))))
                .as("gap").isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new InitialState(config, new HardState(2, null, 0), List.of(entry(1, 2), entry(2, 1))))
                .as("terms decrease").isInstanceOf(IllegalArgumentException.class);
        // An entry from a term after currentTerm is legal: a write torn between entries and hard state.
        assertThatCode(() -> new InitialState(config, new HardState(1, null, 0), Msgs.log(1, 2)))
                .doesNotThrowAnyException();
    }

    /**
     * The hard state is written before the entries of the same batch, so a torn write can leave a
     * commit index beyond the durable log: it is a hint, lowered to the last durable entry.
     */
    @Test
    void aCommitIndexBeyondTheRecoveredLogIsLoweredToItsEnd() {
        ClusterConfig config = ClusterConfig.ofVoters(List.of(A));

        InitialState state = new InitialState(config, new HardState(1, null, 3), Msgs.log(1, 1));

        org.assertj.core.api.Assertions.assertThat(state.hardState().commitIndex()).isEqualTo(2);
    }

    @Test
    void raftConfigLimitsAreValidated() {
        assertThatThrownBy(() -> RaftConfig.builder(A).electionTicks(3).heartbeatTicks(3).build())
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RaftConfig.builder(A).heartbeatTicks(0).build()).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RaftConfig.builder(A).maxInflightAppends(0).build()).isInstanceOf(IllegalArgumentException.class);
    }

    /** A chunk whose offset would overflow past the end of the snapshot is refused, not wrapped around. */
    @Test
    void aSnapshotChunkWithAnOverflowingOffsetIsRejected() {
        ClusterConfig config = ClusterConfig.ofVoters(List.of(A, B));
        assertThatThrownBy(() -> new InstallSnapshotRequest(2, A, B, 5, 1, config, 100, Long.MAX_VALUE, new byte[10],
                false)).isInstanceOf(IllegalArgumentException.class);
        assertThatCode(() -> new InstallSnapshotRequest(2, A, B, 5, 1, config, 100, 90, new byte[10], true))
                .doesNotThrowAnyException();
    }
}
