package io.raftkv.core;

/**
 * A snapshot of the leader's being received, chunk by chunk (paper Figure 13). Followers and
 * learners only.
 */
final class IncomingSnapshot {
    final SnapshotMetadata metadata;
    final long totalBytes;
    /** The term of the leader sending it; its file is the only one these chunks may be part of. */
    final long term;
    /** The byte offset expected next. */
    long nextOffset;
    /** Every byte arrived: the driver is installing it, and the answer follows in {@link RaftCore#advance}. */
    boolean installPending;
    /** The leader to answer once installed. */
    NodeId leader;

    IncomingSnapshot(SnapshotMetadata metadata, long totalBytes, long term) {
        this.metadata = metadata;
        this.totalBytes = totalBytes;
        this.term = term;
    }
}
