package io.raftkv.transport;

import io.netty.buffer.ByteBuf;
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
import java.nio.charset.StandardCharsets;

/**
 * Writes the body of a Raft message (everything after the type byte) in the layout documented on
 * {@link PeerMessageCodec}; {@link RaftBodySize} computes the same layout's length and must be kept
 * in step with this class.
 */
final class RaftBodyWriter implements MessageVisitor<Void> {
    static final int FLAG_PRE_VOTE = 0x01;
    static final int FLAG_LEADERSHIP_TRANSFER = 0x02;
    static final int FLAG_VOTE_GRANTED = 0x01;
    static final int FLAG_RESPONSE_PRE_VOTE = 0x02;
    static final int FLAG_SUCCESS = 0x01;
    static final int FLAG_DONE = 0x01;
    static final int FLAG_INSTALLED = 0x01;

    private final ByteBuf out;

    RaftBodyWriter(ByteBuf out) {
        this.out = out;
    }

    static void writeNodeId(ByteBuf out, NodeId id) {
        // NodeId admits only [A-Za-z0-9_.-], so one char is one ASCII byte.
        out.writeByte(id.value().length());
        out.writeCharSequence(id.value(), StandardCharsets.US_ASCII);
    }

    static void writeBytes(ByteBuf out, byte[] bytes) {
        out.writeInt(bytes.length);
        out.writeBytes(bytes);
    }

    private void header(long term, NodeId from, NodeId to) {
        out.writeLong(term);
        writeNodeId(out, from);
        writeNodeId(out, to);
    }

    @Override
    public Void visit(RequestVoteRequest m) {
        header(m.term(), m.from(), m.to());
        out.writeLong(m.lastLogIndex());
        out.writeLong(m.lastLogTerm());
        out.writeByte((m.preVote() ? FLAG_PRE_VOTE : 0) | (m.leadershipTransfer() ? FLAG_LEADERSHIP_TRANSFER : 0));
        return null;
    }

    @Override
    public Void visit(RequestVoteResponse m) {
        header(m.term(), m.from(), m.to());
        out.writeByte((m.voteGranted() ? FLAG_VOTE_GRANTED : 0) | (m.preVote() ? FLAG_RESPONSE_PRE_VOTE : 0));
        return null;
    }

    @Override
    public Void visit(AppendEntriesRequest m) {
        header(m.term(), m.from(), m.to());
        out.writeLong(m.prevLogIndex());
        out.writeLong(m.prevLogTerm());
        out.writeLong(m.leaderCommit());
        out.writeInt(m.entries().size());
        // Entry indexes are not sent: they are prevLogIndex + 1, + 2, ... by the record's invariant.
        for (LogEntry entry : m.entries()) {
            out.writeLong(entry.term());
            out.writeByte(WireEntryType.code(entry.type()));
            writeBytes(out, entry.data());
        }
        return null;
    }

    @Override
    public Void visit(AppendEntriesResponse m) {
        header(m.term(), m.from(), m.to());
        out.writeByte(m.success() ? FLAG_SUCCESS : 0);
        out.writeLong(m.matchIndex());
        out.writeLong(m.rejectedIndex());
        out.writeLong(m.conflictTerm());
        out.writeLong(m.conflictIndex());
        return null;
    }

    @Override
    public Void visit(HeartbeatRequest m) {
        header(m.term(), m.from(), m.to());
        out.writeLong(m.commitIndex());
        out.writeLong(m.readRound());
        return null;
    }

    @Override
    public Void visit(HeartbeatResponse m) {
        header(m.term(), m.from(), m.to());
        out.writeLong(m.readRound());
        return null;
    }

    @Override
    public Void visit(ReadIndexRequest m) {
        header(m.term(), m.from(), m.to());
        out.writeLong(m.requestId());
        return null;
    }

    @Override
    public Void visit(ReadIndexResponse m) {
        header(m.term(), m.from(), m.to());
        out.writeLong(m.requestId());
        out.writeLong(m.readIndex());
        return null;
    }

    @Override
    public Void visit(InstallSnapshotRequest m) {
        header(m.term(), m.from(), m.to());
        out.writeLong(m.lastIncludedIndex());
        out.writeLong(m.lastIncludedTerm());
        writeBytes(out, m.config().encode());
        out.writeLong(m.totalBytes());
        out.writeLong(m.offset());
        out.writeByte(m.done() ? FLAG_DONE : 0);
        writeBytes(out, m.data());
        return null;
    }

    @Override
    public Void visit(InstallSnapshotResponse m) {
        header(m.term(), m.from(), m.to());
        out.writeLong(m.lastIncludedIndex());
        out.writeLong(m.nextOffset());
        out.writeByte(m.installed() ? FLAG_INSTALLED : 0);
        return null;
    }

    @Override
    public Void visit(TimeoutNow m) {
        header(m.term(), m.from(), m.to());
        return null;
    }
}
