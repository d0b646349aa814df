package io.raftkv.core;

import java.util.Objects;

/**
 * What a snapshot replaces in the log (paper §7, Figure 12): every entry up to and including
 * {@code lastIncludedIndex}, the last of which had {@code lastIncludedTerm}, and the configuration
 * in force at that index (thesis §5.1), which a server needs after the entries are gone.
 *
 * @param lastIncludedIndex index of the last entry the snapshot covers, >= 0 (0: the empty snapshot)
 * @param lastIncludedTerm  term of that entry (0 for the empty snapshot)
 * @param config            the cluster configuration at {@code lastIncludedIndex}
 */
public record SnapshotMetadata(long lastIncludedIndex, long lastIncludedTerm, ClusterConfig config) {
    public SnapshotMetadata {
        if (lastIncludedIndex < 0 || lastIncludedTerm < 0) {
            throw new IllegalArgumentException("negative index or term: " + lastIncludedIndex + "@" + lastIncludedTerm);
        }
        if ((lastIncludedIndex == 0) != (lastIncludedTerm == 0)) {
            throw new IllegalArgumentException("index and term must both be 0 or both positive: " + lastIncludedIndex
                    + "@" + lastIncludedTerm);
        }
        Objects.requireNonNull(config, "config");
    }
}
