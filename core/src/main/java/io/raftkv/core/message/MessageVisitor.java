package io.raftkv.core.message;

/** One method per message kind; see {@link RaftMessage}. */
public interface MessageVisitor<R> {
    R visit(RequestVoteRequest message);

    R visit(RequestVoteResponse message);

    R visit(AppendEntriesRequest message);

    R visit(AppendEntriesResponse message);

    R visit(HeartbeatRequest message);

    R visit(HeartbeatResponse message);

    R visit(ReadIndexRequest message);

    R visit(ReadIndexResponse message);

    R visit(InstallSnapshotRequest message);

    R visit(InstallSnapshotResponse message);

    R visit(TimeoutNow message);
}
