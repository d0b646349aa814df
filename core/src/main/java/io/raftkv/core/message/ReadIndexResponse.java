package io.raftkv.core.message;

import io.raftkv.core.NodeId;

/**
 * The leader's answer to a {@link ReadIndexRequest}, sent only after a quorum confirmed its
 * leadership for a round that started after the request arrived (thesis §6.4).
 *
 * @param requestId the requester's id for the read
 * @param readIndex the index the requester must have applied before serving the read
 */
public record ReadIndexResponse(long term, NodeId from, NodeId to, long requestId, long readIndex)
        implements RaftMessage {
    public ReadIndexResponse {
        Checks.header(term, from, to);
        Checks.nonNegative("readIndex", readIndex);
    }

    @Override
    public <R> R accept(MessageVisitor<R> visitor) {
        return visitor.visit(this);
    }
}
