package io.raftkv.core.message;

import io.raftkv.core.NodeId;

/**
 * AppendEntries RPC results (paper Figure 2) with the conflict hint of §5.3 ("the follower can
 * include the term of the conflicting entry and the first index it stores for that term"), so the
 * leader backs off a whole term per round trip.
 *
 * @param success       the follower held an entry matching prevLogIndex/prevLogTerm and stored the entries
 * @param matchIndex    on success, the last index this request verified ({@code prevLogIndex + entries});
 *                      the leader may only raise matchIndex from this field
 * @param rejectedIndex on failure, the {@code prevLogIndex} that did not match
 * @param conflictTerm  on failure, the term of the follower's entry at rejectedIndex, or 0 if it has none
 * @param conflictIndex on failure, the first index the follower stores for conflictTerm, or its last
 *                      index + 1 when its log is too short
 */
public record AppendEntriesResponse(long term, NodeId from, NodeId to, boolean success, long matchIndex,
                                    long rejectedIndex, long conflictTerm, long conflictIndex)
        implements RaftMessage {
    public AppendEntriesResponse {
        Checks.header(term, from, to);
        Checks.nonNegative("matchIndex", matchIndex);
        Checks.nonNegative("rejectedIndex", rejectedIndex);
        Checks.nonNegative("conflictTerm", conflictTerm);
        Checks.nonNegative("conflictIndex", conflictIndex);
    }

    public static AppendEntriesResponse accepted(long term, NodeId from, NodeId to, long matchIndex) {
        return new AppendEntriesResponse(term, from, to, true, matchIndex, 0, 0, 0);
    }

    public static AppendEntriesResponse rejected(long term, NodeId from, NodeId to, long rejectedIndex,
                                                 long conflictTerm, long conflictIndex) {
        return new AppendEntriesResponse(term, from, to, false, 0, rejectedIndex, conflictTerm, conflictIndex);
    }

    @Override
    public <R> R accept(MessageVisitor<R> visitor) {
        return visitor.visit(this);
    }
}
