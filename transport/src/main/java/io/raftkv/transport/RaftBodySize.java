package io.raftkv.transport;

import io.raftkv.core.ClusterConfig;
import io.raftkv.core.LogEntry;
import io.raftkv.core.NodeId;
import io.raftkv.core.message.AppendEntriesRequest;
import io.raftkv.core.message.AppendEntriesResponse;
import io.raftkv.core.message.HeartbeatRequest;
import io.raftkv.core.message.HeartbeatResponse;
import io.raftkv.core.message.InstallSnapshotRequest;
import io.raftkv.core.message.InstallSnapshotResponse;
import io.raftkv.core.message.MessageVisitor;
import io.raftkv.core.message.ReadIndexRequest;
import io.raftkv.core.message.ReadIndexResponse;
import io.raftkv.core.message.RequestVoteRequest;
import io.raftkv.core.message.RequestVoteResponse;
import io.raftkv.core.message.TimeoutNow;

/**
 * The exact length of the body {@link RaftBodyWriter} writes for a message, computed without
 * encoding it, so the transport can account queued bytes and reject an oversized message before
 * spending a buffer on it. A {@code long}, because entries' payloads can add up past 2 GiB.
 */
final class RaftBodySize implements MessageVisitor<Long> {
    static final RaftBodySize INSTANCE = new RaftBodySize();

    /** An encoded entry without its payload: term, type, payload length. */
    static final int ENTRY_OVERHEAD_BYTES = Long.BYTES + 1 + Integer.BYTES;

    private RaftBodySize() {}

    static int nodeIdBytes(NodeId id) {
        return 1 + id.value().length();
    }

    /** Length of {@link ClusterConfig#encode()}. */
    static long configBytes(ClusterConfig config) {
        return config.encodedSize();
    }

    private static long header(NodeId from, NodeId to) {
        return Long.BYTES + nodeIdBytes(from) + nodeIdBytes(to);
    }

    @Override
    public Long visit(RequestVoteRequest m) {
        return header(m.from(), m.to()) + 2L * Long.BYTES + 1;
    }

    @Override
    public Long visit(RequestVoteResponse m) {
        return header(m.from(), m.to()) + 1;
    }

    @Override
    public Long visit(AppendEntriesRequest m) {
        long size = header(m.from(), m.to()) + 3L * Long.BYTES + Integer.BYTES;
        for (LogEntry entry : m.entries()) {
            size += ENTRY_OVERHEAD_BYTES + entry.data().length;
        }
        return size;
    }

    @Override
    public Long visit(AppendEntriesResponse m) {
        return header(m.from(), m.to()) + 1 + 4L * Long.BYTES;
    }

    @Override
    public Long visit(HeartbeatRequest m) {
        return header(m.from(), m.to()) + 2L * Long.BYTES;
    }

    @Override
    public Long visit(HeartbeatResponse m) {
        return header(m.from(), m.to()) + Long.BYTES;
    }

    @Override
    public Long visit(ReadIndexRequest m) {
        return header(m.from(), m.to()) + Long.BYTES;
    }

    @Override
    public Long visit(ReadIndexResponse m) {
        return header(m.from(), m.to()) + 2L * Long.BYTES;
    }

    @Override
    public Long visit(InstallSnapshotRequest m) {
        return header(m.from(), m.to()) + 2L * Long.BYTES + Integer.BYTES + configBytes(m.config())
                + 2L * Long.BYTES + 1 + Integer.BYTES + m.data().length;
    }

    @Override
    public Long visit(InstallSnapshotResponse m) {
        return header(m.from(), m.to()) + 2L * Long.BYTES + 1;
    }

    @Override
    public Long visit(TimeoutNow m) {
        return header(m.from(), m.to());
    }
}
