package io.raftkv.transport;

import io.raftkv.core.ClusterConfig;
import io.raftkv.core.EntryType;
import io.raftkv.core.LogEntry;
import io.raftkv.core.NodeId;
import io.raftkv.core.message.AppendEntriesRequest;
import io.raftkv.core.message.AppendEntriesResponse;
import io.raftkv.core.message.HeartbeatRequest;
import io.raftkv.core.message.HeartbeatResponse;
import io.raftkv.core.message.InstallSnapshotRequest;
import io.raftkv.core.message.InstallSnapshotResponse;
import io.raftkv.core.message.ReadIndexRequest;
import io.raftkv.core.message.RaftMessage;
import io.raftkv.core.message.ReadIndexResponse;
import io.raftkv.core.message.RequestVoteRequest;
import io.raftkv.core.message.RequestVoteResponse;
import io.raftkv.core.message.TimeoutNow;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a frame's body (everything after the type byte) into a message, the inverse of
 * {@link RaftBodyWriter} and of the {@link AppMessage} layout. Field checks live in
 * {@link FrameReader}; range checks are the records' own compact constructors, whose
 * {@link IllegalArgumentException}s the codec turns into {@link CorruptFrameException}s. A few checks
 * the records do not make are added here (see {@link #readInstallSnapshotRequest}).
 */
final class BodyReader {
    /** Longest encoded {@link ClusterConfig}. */
    static final long MAX_CONFIG_BYTES = ClusterConfig.MAX_ENCODED_BYTES;

    private final FrameReader in;
    private final int maxEntriesPerFrame;

    BodyReader(FrameReader in, int maxEntriesPerFrame) {
        this.in = in;
        this.maxEntriesPerFrame = maxEntriesPerFrame;
    }

    PeerMessage read(WireType type) throws CorruptFrameException {
        PeerMessage message = switch (type) {
            case REQUEST_VOTE_REQUEST -> raft(readRequestVoteRequest());
            case REQUEST_VOTE_RESPONSE -> raft(readRequestVoteResponse());
            case APPEND_ENTRIES_REQUEST -> raft(readAppendEntriesRequest());
            case APPEND_ENTRIES_RESPONSE -> raft(readAppendEntriesResponse());
            case HEARTBEAT_REQUEST -> raft(new HeartbeatRequest(in.readLong("term"), in.readNodeId("from"),
                    in.readNodeId("to"), in.readLong("commitIndex"), in.readLong("readRound")));
            case HEARTBEAT_RESPONSE -> raft(new HeartbeatResponse(in.readLong("term"), in.readNodeId("from"),
                    in.readNodeId("to"), in.readLong("readRound")));
            case READ_INDEX_REQUEST -> raft(new ReadIndexRequest(in.readLong("term"), in.readNodeId("from"),
                    in.readNodeId("to"), in.readLong("requestId")));
            case READ_INDEX_RESPONSE -> raft(new ReadIndexResponse(in.readLong("term"), in.readNodeId("from"),
                    in.readNodeId("to"), in.readLong("requestId"), in.readLong("readIndex")));
            case INSTALL_SNAPSHOT_REQUEST -> raft(readInstallSnapshotRequest());
            case INSTALL_SNAPSHOT_RESPONSE -> raft(readInstallSnapshotResponse());
            case TIMEOUT_NOW -> raft(new TimeoutNow(in.readLong("term"), in.readNodeId("from"), in.readNodeId("to")));
            case APP_MESSAGE -> new AppMessage(in.readNodeId("from"), in.readNodeId("to"), in.readInt("kind"),
                    in.readBytes("payload", Integer.MAX_VALUE));
        };
        in.requireEnd(type.name());
        return message;
    }

    private static RaftEnvelope raft(RaftMessage message) {
        return new RaftEnvelope(message);
    }

    private RequestVoteRequest readRequestVoteRequest() throws CorruptFrameException {
        long term = in.readLong("term");
        NodeId from = in.readNodeId("from");
        NodeId to = in.readNodeId("to");
        long lastLogIndex = in.readLong("lastLogIndex");
        long lastLogTerm = in.readLong("lastLogTerm");
        int flags = in.readFlags("flags", RaftBodyWriter.FLAG_PRE_VOTE | RaftBodyWriter.FLAG_LEADERSHIP_TRANSFER);
        // The record rejects both flags together (a transfer election has no pre-vote).
        return new RequestVoteRequest(term, from, to, lastLogIndex, lastLogTerm,
                (flags & RaftBodyWriter.FLAG_PRE_VOTE) != 0, (flags & RaftBodyWriter.FLAG_LEADERSHIP_TRANSFER) != 0);
    }

    private RequestVoteResponse readRequestVoteResponse() throws CorruptFrameException {
        long term = in.readLong("term");
        NodeId from = in.readNodeId("from");
        NodeId to = in.readNodeId("to");
        int flags = in.readFlags("flags", RaftBodyWriter.FLAG_VOTE_GRANTED | RaftBodyWriter.FLAG_RESPONSE_PRE_VOTE);
        return new RequestVoteResponse(term, from, to, (flags & RaftBodyWriter.FLAG_VOTE_GRANTED) != 0,
                (flags & RaftBodyWriter.FLAG_RESPONSE_PRE_VOTE) != 0);
    }

    private AppendEntriesRequest readAppendEntriesRequest() throws CorruptFrameException {
        long term = in.readLong("term");
        NodeId from = in.readNodeId("from");
        NodeId to = in.readNodeId("to");
        long prevLogIndex = in.readLong("prevLogIndex");
        long prevLogTerm = in.readLong("prevLogTerm");
        long leaderCommit = in.readLong("leaderCommit");
        long count = in.readUnsignedInt("entry count");
        // Bound the list before allocating it: by the limit, and by what the frame can actually hold.
        if (count > maxEntriesPerFrame) {
            throw new CorruptFrameException("entry count " + count + " exceeds the limit of " + maxEntriesPerFrame);
        }
        if (count * RaftBodySize.ENTRY_OVERHEAD_BYTES > in.remaining()) {
            throw new CorruptFrameException("entry count " + count + " cannot fit in the " + in.remaining()
                    + " bytes left in the frame");
        }
        List<LogEntry> entries = new ArrayList<>((int) count);
        for (int i = 0; i < count; i++) {
            long entryTerm = in.readLong("entry term");
            EntryType entryType = WireEntryType.fromCode(in.readUnsignedByte("entry type"));
            byte[] data = in.readBytes("entry data", Integer.MAX_VALUE);
            if (entryType == EntryType.CONFIG) {
                // The core decodes configuration entries as soon as it appends them; reject a bad one
                // here, at the edge, instead of letting it fail inside the Raft loop.
                checkConfig(data);
            }
            // prevLogIndex + 1 + i may overflow for a hostile prevLogIndex; LogEntry rejects index < 1.
            entries.add(new LogEntry(prevLogIndex + 1 + i, entryTerm, entryType, data));
        }
        return new AppendEntriesRequest(term, from, to, prevLogIndex, prevLogTerm, entries, leaderCommit);
    }

    private AppendEntriesResponse readAppendEntriesResponse() throws CorruptFrameException {
        long term = in.readLong("term");
        NodeId from = in.readNodeId("from");
        NodeId to = in.readNodeId("to");
        int flags = in.readFlags("flags", RaftBodyWriter.FLAG_SUCCESS);
        return new AppendEntriesResponse(term, from, to, flags != 0, in.readLong("matchIndex"),
                in.readLong("rejectedIndex"), in.readLong("conflictTerm"), in.readLong("conflictIndex"));
    }

    /**
     * Besides the record's checks, rejects a chunk whose end overflows a {@code long}: the record
     * computes {@code offset + data.length} unchecked, so a hostile offset near {@link Long#MAX_VALUE}
     * would otherwise pass as a chunk inside the snapshot.
     */
    private InstallSnapshotRequest readInstallSnapshotRequest() throws CorruptFrameException {
        long term = in.readLong("term");
        NodeId from = in.readNodeId("from");
        NodeId to = in.readNodeId("to");
        long lastIncludedIndex = in.readLong("lastIncludedIndex");
        long lastIncludedTerm = in.readLong("lastIncludedTerm");
        ClusterConfig config = checkConfig(in.readBytes("config", MAX_CONFIG_BYTES));
        long totalBytes = in.readLong("totalBytes");
        long offset = in.readLong("offset");
        int flags = in.readFlags("flags", RaftBodyWriter.FLAG_DONE);
        byte[] data = in.readBytes("data", Integer.MAX_VALUE);
        if (offset < 0 || totalBytes < 0 || data.length > totalBytes || offset > totalBytes - data.length) {
            throw new CorruptFrameException("chunk of " + data.length + " bytes at offset " + offset
                    + " lies outside a " + totalBytes + "-byte snapshot");
        }
        return new InstallSnapshotRequest(term, from, to, lastIncludedIndex, lastIncludedTerm, config, totalBytes,
                offset, data, flags != 0);
    }

    private InstallSnapshotResponse readInstallSnapshotResponse() throws CorruptFrameException {
        long term = in.readLong("term");
        NodeId from = in.readNodeId("from");
        NodeId to = in.readNodeId("to");
        long lastIncludedIndex = in.readLong("lastIncludedIndex");
        long nextOffset = in.readLong("nextOffset");
        int flags = in.readFlags("flags", RaftBodyWriter.FLAG_INSTALLED);
        return new InstallSnapshotResponse(term, from, to, lastIncludedIndex, nextOffset, flags != 0);
    }

    private static ClusterConfig checkConfig(byte[] encoded) throws CorruptFrameException {
        try {
            return ClusterConfig.decode(encoded);
        } catch (IllegalArgumentException e) {
            throw new CorruptFrameException("bad cluster configuration: " + e.getMessage(), e);
        }
    }
}
