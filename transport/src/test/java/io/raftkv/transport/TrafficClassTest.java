package io.raftkv.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.raftkv.core.ClusterConfig;
import io.raftkv.core.EntryType;
import io.raftkv.core.LogEntry;
import io.raftkv.core.NodeId;
import io.raftkv.core.message.AppendEntriesRequest;
import io.raftkv.core.message.AppendEntriesResponse;
import io.raftkv.core.message.HeartbeatRequest;
import io.raftkv.core.message.InstallSnapshotRequest;
import io.raftkv.core.message.RequestVoteRequest;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TrafficClassTest {
    private static final NodeId A = NodeId.of("a");
    private static final NodeId B = NodeId.of("b");
    private static final long LIMIT = 64 << 10;

    @Test
    void smallLatencySensitiveMessagesAreControl() {
        assertThat(classOf(new RaftEnvelope(new HeartbeatRequest(1, A, B, 0, 0)))).isEqualTo(TrafficClass.CONTROL);
        assertThat(classOf(new RaftEnvelope(new RequestVoteRequest(1, A, B, 0, 0, false))))
                .isEqualTo(TrafficClass.CONTROL);
        assertThat(classOf(new RaftEnvelope(AppendEntriesResponse.accepted(1, A, B, 5)))).isEqualTo(TrafficClass.CONTROL);
        assertThat(classOf(new RaftEnvelope(new AppendEntriesRequest(1, A, B, 4, 1, List.of(), 3))))
                .as("an empty AppendEntries is a probe").isEqualTo(TrafficClass.CONTROL);
        assertThat(classOf(new AppMessage(A, B, 1, new byte[100]))).isEqualTo(TrafficClass.CONTROL);
    }

    @Test
    void entriesSnapshotChunksAndLargeMessagesAreBulk() {
        assertThat(classOf(new RaftEnvelope(new AppendEntriesRequest(1, A, B, 0, 0,
                List.of(new LogEntry(1, 1, EntryType.NO_OP, null)), 0)))).isEqualTo(TrafficClass.BULK);
        assertThat(classOf(new RaftEnvelope(new InstallSnapshotRequest(1, A, B, 1, 1,
                new ClusterConfig(Set.of(A), Set.of()), 1, 0, new byte[1], true)))).isEqualTo(TrafficClass.BULK);
        assertThat(classOf(new AppMessage(A, B, 1, new byte[(int) LIMIT]))).isEqualTo(TrafficClass.BULK);
    }

    private static TrafficClass classOf(PeerMessage message) {
        return TrafficClass.of(message, PeerMessageCodec.withDefaults().frameBytes(message), LIMIT);
    }
}
