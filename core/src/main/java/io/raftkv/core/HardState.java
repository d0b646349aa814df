package io.raftkv.core;

/**
 * The state that must be durable before the core's messages that depend on it leave
 * (paper Figure 2, "persistent state on all servers", plus the commit index so that a restart
 * can re-apply without waiting for a leader).
 *
 * @param currentTerm latest term this server has seen; monotonically non-decreasing
 * @param votedFor    the candidate that received this server's vote in {@code currentTerm}, or null
 * @param commitIndex highest log index known to be committed when this was handed out; a hint on
 *                    restart, never decreases. The core persists it only along with a term or vote
 *                    change or with entries, so the durable copy may lag the volatile commitIndex
 */
public record HardState(long currentTerm, NodeId votedFor, long commitIndex) {
    public static final HardState INITIAL = new HardState(0, null, 0);

    public HardState {
        if (currentTerm < 0 || commitIndex < 0) {
            throw new IllegalArgumentException("negative term or commit index: " + currentTerm + ", " + commitIndex);
        }
    }
}
