package io.raftkv.core;

/** How a leader replicates to one follower (the scheme of etcd's {@code tracker} package). */
public enum ProgressState {
    /** nextIndex is a guess: one AppendEntries at a time until the follower's log matches (paper §5.3). */
    PROBE,
    /** The follower's log matches: AppendEntries are pipelined under the in-flight window (R-LOG-7). */
    REPLICATE,
    /** The entries the follower needs are compacted: a snapshot is being sent, one chunk at a time (§7). */
    SNAPSHOT
}
