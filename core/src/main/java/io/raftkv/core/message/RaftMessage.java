package io.raftkv.core.message;

import io.raftkv.core.NodeId;

/**
 * A message between two Raft servers. The family is closed: every kind is a record in this
 * package, and code that handles messages dispatches through {@link MessageVisitor} so that a
 * missing case fails to compile (Java 17 has no exhaustive pattern switch).
 *
 * <p>Every message carries the sender's {@code currentTerm} (paper §5.1: "servers exchange current
 * terms whenever they communicate"). The one exception is a pre-vote request, which carries the
 * term the sender would campaign in (thesis §9.6).
 */
public sealed interface RaftMessage
        permits RequestVoteRequest, RequestVoteResponse, AppendEntriesRequest, AppendEntriesResponse,
                HeartbeatRequest, HeartbeatResponse, ReadIndexRequest, ReadIndexResponse,
                InstallSnapshotRequest, InstallSnapshotResponse, TimeoutNow {

    long term();

    NodeId from();

    NodeId to();

    <R> R accept(MessageVisitor<R> visitor);
}
