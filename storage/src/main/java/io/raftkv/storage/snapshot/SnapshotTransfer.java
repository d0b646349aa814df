package io.raftkv.storage.snapshot;

/**
 * Identifies one InstallSnapshot transfer as the leader announces it in every chunk (paper §7,
 * Figure 13: term, lastIncludedIndex, lastIncludedTerm; plus the file size, which the paper leaves
 * implicit but a follower needs to bound what it writes and to know when the file is complete).
 *
 * @param leaderTerm        the sending leader's term, &ge; lastIncludedTerm
 * @param lastIncludedIndex index of the last entry the snapshot covers, &ge; 1
 * @param lastIncludedTerm  term of that entry, &ge; 1
 * @param totalSizeBytes    size of the snapshot file being sent, &ge; 0
 */
public record SnapshotTransfer(long leaderTerm, long lastIncludedIndex, long lastIncludedTerm, long totalSizeBytes) {
    public SnapshotTransfer {
        if (lastIncludedIndex < 1 || lastIncludedTerm < 1) {
            throw new IllegalArgumentException("a transferred snapshot covers at least one entry: index "
                    + lastIncludedIndex + " term " + lastIncludedTerm);
        }
        if (leaderTerm < lastIncludedTerm) {
            throw new IllegalArgumentException("leader term " + leaderTerm + " is older than the snapshot's last term "
                    + lastIncludedTerm);
        }
        if (totalSizeBytes < 0) {
            throw new IllegalArgumentException("negative snapshot size " + totalSizeBytes);
        }
    }

    /** The transfer a leader would start for {@code snapshot} in {@code leaderTerm}. */
    public static SnapshotTransfer of(long leaderTerm, SnapshotFile snapshot) {
        return new SnapshotTransfer(leaderTerm, snapshot.metadata().lastIncludedIndex(),
                snapshot.metadata().lastIncludedTerm(), snapshot.sizeBytes());
    }

    /**
     * True if this transfer supersedes {@code other}: it comes from a later leader term, or from the
     * same leader and covers more of the log. A follower drops the older transfer for the newer one.
     */
    public boolean isNewerThan(SnapshotTransfer other) {
        return leaderTerm > other.leaderTerm
                || (leaderTerm == other.leaderTerm && lastIncludedIndex > other.lastIncludedIndex);
    }

    @Override
    public String toString() {
        return "transfer(leaderTerm=" + leaderTerm + ", snapshot " + lastIncludedIndex + "@" + lastIncludedTerm
                + ", " + totalSizeBytes + " bytes)";
    }
}
