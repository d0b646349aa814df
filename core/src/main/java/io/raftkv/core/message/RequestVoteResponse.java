package io.raftkv.core.message;

import io.raftkv.core.NodeId;

/**
 * RequestVote RPC results (paper Figure 2).
 *
 * @param term        the voter's current term, for the candidate to update itself; for a granted
 *                    pre-vote, the term of the request
 * @param voteGranted true means the candidate received the vote
 * @param preVote     answers a pre-vote request
 */
public record RequestVoteResponse(long term, NodeId from, NodeId to, boolean voteGranted, boolean preVote)
        implements RaftMessage {
    public RequestVoteResponse {
        Checks.header(term, from, to);
    }

    @Override
    public <R> R accept(MessageVisitor<R> visitor) {
        return visitor.visit(this);
    }
}
