package io.raftkv.core.message;

import io.raftkv.core.NodeId;

/**
 * A leader's liveness heartbeat (paper §5.2: "empty AppendEntries RPCs"). It is kept apart from
 * AppendEntries so that it never waits behind a large batch and never touches the log; it carries
 * a commit index the follower is known to hold ({@code min(matchIndex, commitIndex)}) and the
 * current ReadIndex round (thesis §6.4).
 *
 * @param commitIndex the leader's commit index, capped at what this follower is known to store
 * @param readRound   the leader's latest ReadIndex confirmation round; echoed in the response
 */
public record HeartbeatRequest(long term, NodeId from, NodeId to, long commitIndex, long readRound)
        implements RaftMessage {
    public HeartbeatRequest {
        Checks.header(term, from, to);
        Checks.nonNegative("commitIndex", commitIndex);
        Checks.nonNegative("readRound", readRound);
    }

    @Override
    public <R> R accept(MessageVisitor<R> visitor) {
        return visitor.visit(this);
    }
}
