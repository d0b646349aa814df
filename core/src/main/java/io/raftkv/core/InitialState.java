package io.raftkv.core;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What a core starts from: the durable state a driver recovered from its storage (nothing, on a
 * fresh server), and the configuration the cluster was bootstrapped with. The configuration in
 * force is the last CONFIG entry of the log, else the snapshot's, else the bootstrap one.
 *
 * <p>A recovered log may still hold entries a snapshot covers (a crash between writing the
 * snapshot and compacting the log): they are dropped. If the log holds the snapshot's last entry
 * with a different term, the entries after it belong to another history (a crash in the middle of
 * installing a snapshot from the leader) and are dropped too (paper Figure 13, step 7).
 *
 * @param bootstrapConfig the initial members, identical on every server of a new cluster
 * @param snapshot        the newest durable snapshot, or null
 * @param hardState       recovered term, vote and commit index; a commit index beyond the recovered log
 *                        is lowered to the log's last index
 * @param log             recovered log entries, consecutive, starting at or before the snapshot's
 *                        last index + 1 (at 1 without a snapshot)
 */
public record InitialState(ClusterConfig bootstrapConfig, LocalSnapshot snapshot, HardState hardState,
                           List<LogEntry> log) {
    public InitialState {
        Objects.requireNonNull(bootstrapConfig, "bootstrapConfig");
        Objects.requireNonNull(hardState, "hardState");
        long snapshotIndex = snapshot == null ? 0 : snapshot.metadata().lastIncludedIndex();
        log = afterSnapshot(List.copyOf(log), snapshot);
        for (int i = 0; i < log.size(); i++) {
            LogEntry e = log.get(i);
            if (e.index() != snapshotIndex + 1 + i) {
                throw new IllegalArgumentException("recovered log must be consecutive from " + (snapshotIndex + 1)
                        + "; entry " + i + " is " + e);
            }
            if (i > 0 && e.term() < log.get(i - 1).term()) {
                throw new IllegalArgumentException("recovered log terms decrease at index " + e.index());
            }
        }
        // The durable commit index is a hint; a commit index beyond the log cannot be trusted to name
        // entries that are here, so it is lowered. (Entries from a term after currentTerm are
        // accepted: a write torn between its entries and its hard state leaves them, and such a
        // server cannot win that term, since a majority already voted in it.)
        long lastIndex = snapshotIndex + log.size();
        if (hardState.commitIndex() > lastIndex) {
            hardState = new HardState(hardState.currentTerm(), hardState.votedFor(), lastIndex);
        }
    }

    /** A recovered state without a snapshot. */
    public InitialState(ClusterConfig bootstrapConfig, HardState hardState, List<LogEntry> log) {
        this(bootstrapConfig, null, hardState, log);
    }

    /** A server that has never run. */
    public static InitialState fresh(ClusterConfig bootstrapConfig) {
        return new InitialState(bootstrapConfig, null, HardState.INITIAL, List.of());
    }

    /** The entries that follow the snapshot in the same history; see the class comment. */
    private static List<LogEntry> afterSnapshot(List<LogEntry> log, LocalSnapshot snapshot) {
        if (snapshot == null || log.isEmpty()) {
            return log;
        }
        SnapshotMetadata meta = snapshot.metadata();
        long first = log.get(0).index();
        if (first > meta.lastIncludedIndex() + 1) {
            throw new IllegalArgumentException("recovered log starts at " + first + ", after a gap following the"
                    + " snapshot at " + meta.lastIncludedIndex());
        }
        if (first == meta.lastIncludedIndex() + 1) {
            return log;
        }
        long offset = meta.lastIncludedIndex() - first;
        if (offset >= log.size() || log.get((int) offset).term() != meta.lastIncludedTerm()) {
            return List.of();
        }
        return new ArrayList<>(log.subList((int) offset + 1, log.size()));
    }
}
