package io.raftkv.core.message;

import io.raftkv.core.NodeId;

/**
 * A follower's answer to an {@link InstallSnapshotRequest} (paper Figure 13). Sent only after the
 * chunk is durable; {@code installed} only after the snapshot replaced the follower's state.
 *
 * @param lastIncludedIndex the snapshot being answered
 * @param nextOffset        the byte offset the follower expects next (resume from here)
 * @param installed         the snapshot is installed: the follower's log now matches through lastIncludedIndex
 */
public record InstallSnapshotResponse(long term, NodeId from, NodeId to, long lastIncludedIndex, long nextOffset,
                                      boolean installed) implements RaftMessage {
    public InstallSnapshotResponse {
        Checks.header(term, from, to);
        Checks.nonNegative("lastIncludedIndex", lastIncludedIndex);
        Checks.nonNegative("nextOffset", nextOffset);
    }

    @Override
    public <R> R accept(MessageVisitor<R> visitor) {
        return visitor.visit(this);
    }
}
