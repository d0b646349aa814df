package io.raftkv.core;

import java.util.List;
import java.util.Objects;

/**
 * What a core starts from: the durable state a driver recovered from its storage (nothing, on a
 * fresh server), and the configuration the cluster was bootstrapped with. The configuration in
 * force is the last CONFIG entry of the log, or the bootstrap configuration if the log has none.
 *
 * @param bootstrapConfig the initial members, identical on every server of a new cluster
 * @param hardState       recovered term, vote and commit index
 * @param log             recovered log entries, consecutive from index 1
 */
public record InitialState(ClusterConfig bootstrapConfig, HardState hardState, List<LogEntry> log) {
    public InitialState {
        Objects.requireNonNull(bootstrapConfig, "bootstrapConfig");
        Objects.requireNonNull(hardState, "hardState");
        log = List.copyOf(log);
        for (int i = 0; i < log.size(); i++) {
            LogEntry e = log.get(i);
            if (e.index() != i + 1) {
                throw new IllegalArgumentException("recovered log must be consecutive from 1; entry " + i + " is " + e);
            }
            if (i > 0 && e.term() < log.get(i - 1).term()) {
                throw new IllegalArgumentException("recovered log terms decrease at index " + e.index());
            }
            if (e.term() > hardState.currentTerm()) {
                throw new IllegalArgumentException("entry " + e + " is from a term after currentTerm "
                        + hardState.currentTerm());
            }
        }
        if (hardState.commitIndex() > log.size()) {
            throw new IllegalArgumentException("commit index " + hardState.commitIndex() + " beyond the log ("
                    + log.size() + " entries)");
        }
    }

    /** A server that has never run. */
    public static InitialState fresh(ClusterConfig bootstrapConfig) {
        return new InitialState(bootstrapConfig, HardState.INITIAL, List.of());
    }
}
