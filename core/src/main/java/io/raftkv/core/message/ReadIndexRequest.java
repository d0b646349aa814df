package io.raftkv.core.message;

import io.raftkv.core.NodeId;

/**
 * A follower or learner asks the leader for a read index on behalf of a local linearizable read
 * (thesis §6.4: "followers ... request the current commit index from the leader").
 *
 * @param requestId the requester's own id for the read, echoed back
 */
public record ReadIndexRequest(long term, NodeId from, NodeId to, long requestId) implements RaftMessage {
    public ReadIndexRequest {
        Checks.header(term, from, to);
    }

    @Override
    public <R> R accept(MessageVisitor<R> visitor) {
        return visitor.visit(this);
    }
}
