package io.raftkv.core.message;

import io.raftkv.core.NodeId;

/**
 * RequestVote RPC arguments (paper Figure 2, §5.2), also used for pre-vote (thesis §9.6).
 *
 * @param term               the candidate's term; for a pre-vote, the term it would campaign in
 * @param from               the candidate ({@code candidateId})
 * @param to                 the voter
 * @param lastLogIndex       index of the candidate's last log entry (§5.4.1)
 * @param lastLogTerm        term of the candidate's last log entry (§5.4.1)
 * @param preVote            true for a pre-vote: the receiver changes no state
 * @param leadershipTransfer the election was started by the leader's {@link TimeoutNow} (thesis §3.10):
 *                           voters grant it even if they heard from that leader within the election
 *                           timeout (thesis §4.2.3). Never set together with {@code preVote}: a transfer
 *                           skips the pre-vote
 */
public record RequestVoteRequest(long term, NodeId from, NodeId to, long lastLogIndex, long lastLogTerm,
                                 boolean preVote, boolean leadershipTransfer) implements RaftMessage {
    public RequestVoteRequest {
        Checks.header(term, from, to);
        Checks.nonNegative("lastLogIndex", lastLogIndex);
        Checks.nonNegative("lastLogTerm", lastLogTerm);
        if (preVote && leadershipTransfer) {
            throw new IllegalArgumentException("a leadership transfer election has no pre-vote");
        }
    }

    /** A request outside a leadership transfer. */
    public RequestVoteRequest(long term, NodeId from, NodeId to, long lastLogIndex, long lastLogTerm, boolean preVote) {
        this(term, from, to, lastLogIndex, lastLogTerm, preVote, false);
    }

    @Override
    public <R> R accept(MessageVisitor<R> visitor) {
        return visitor.visit(this);
    }
}
