package io.raftkv.core.message;

import io.raftkv.core.NodeId;

/**
 * Answer to a {@link HeartbeatRequest}: the follower still accepts this leader in {@code term}.
 * It never raises the leader's matchIndex for the follower (only AppendEntries successes do).
 *
 * @param readRound the round of the heartbeat being answered
 */
public record HeartbeatResponse(long term, NodeId from, NodeId to, long readRound) implements RaftMessage {
    public HeartbeatResponse {
        Checks.header(term, from, to);
        Checks.nonNegative("readRound", readRound);
    }

    @Override
    public <R> R accept(MessageVisitor<R> visitor) {
        return visitor.visit(this);
    }
}
