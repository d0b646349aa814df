package io.raftkv.core.message;

import io.raftkv.core.NodeId;

/**
 * Leadership transfer (thesis §3.10, R-ELECT-10): the leader tells a caught-up voter to start an
 * election at once, without waiting for its election timeout and without a pre-vote. The election
 * it starts is flagged ({@link RequestVoteRequest#leadershipTransfer()}) so that voters that just
 * heard from the leader grant their votes anyway (thesis §4.2.3 makes that exception).
 *
 * @param term the leader's current term; the target acts only on a TimeoutNow of its own term from its leader
 * @param from the leader
 * @param to   the target of the transfer
 */
public record TimeoutNow(long term, NodeId from, NodeId to) implements RaftMessage {
    public TimeoutNow {
        Checks.header(term, from, to);
    }

    @Override
    public <R> R accept(MessageVisitor<R> visitor) {
        return visitor.visit(this);
    }
}
