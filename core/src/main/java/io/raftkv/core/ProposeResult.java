package io.raftkv.core;

/**
 * The outcome of {@link RaftCore#propose} and {@link RaftCore#proposeConfigChange}: a value, not an
 * exception, because every outcome is expected. {@code propose} returns only {@link Accepted},
 * {@link NotLeader} or {@link TransferInProgress}.
 */
public sealed interface ProposeResult {
    /**
     * The command or configuration change was appended to the leader's log. It is applied (in
     * effect, for a change) if and only if the entry committed at {@code index} has this
     * {@code term}; any other entry there means it was lost.
     */
    record Accepted(long index, long term) implements ProposeResult {}

    /** This server is not the leader; {@code leaderHint} is the leader it knows of, or null. */
    record NotLeader(NodeId leaderHint) implements ProposeResult {}

    /**
     * This leader is handing leadership to {@code target} and accepts nothing meanwhile (thesis
     * §3.10); retry shortly, at the new leader if the transfer succeeds. Retryable.
     */
    record TransferInProgress(NodeId target) implements ProposeResult {}

    /**
     * The configuration change is already in effect in the committed configuration {@code config}:
     * nothing was appended and nothing needs doing, so retried membership commands are idempotent.
     */
    record AlreadyDone(ClusterConfig config) implements ProposeResult {}

    /** The leader refused the configuration change; nothing was appended. */
    record ConfigChangeRefused(Reason reason) implements ProposeResult {
        public ConfigChangeRefused {
            java.util.Objects.requireNonNull(reason, "reason");
        }
    }

    /** Why a configuration change was refused. */
    enum Reason {
        /** Another configuration entry is not committed yet: one change at a time (R-MEMB-1, thesis §4.1). Retryable. */
        CHANGE_PENDING(true),
        /**
         * The leader has not committed an entry of its own term yet; until it has, a change could
         * conflict with an uncommitted one of an earlier leader (thesis §4.1, the fix Ongaro posted to
         * raft-dev in 2015). Retryable within moments of an election.
         */
        LEADER_NOT_READY(true),
        /** {@code PromoteLearner} of a server that is no member: add it as a learner first. */
        NOT_A_LEARNER(false),
        /**
         * {@code PromoteLearner} of a learner that has not caught up (thesis §4.2.1): it would leave the
         * cluster less available until it does. Retryable once {@link PeerStatus#caughtUp()} holds.
         */
        NOT_CAUGHT_UP(true),
        /** {@code RemoveServer} of the only voter: a configuration needs at least one. */
        LAST_VOTER(false);

        private final boolean retryable;

        Reason(boolean retryable) {
            this.retryable = retryable;
        }

        /** True if the same change may succeed later without another change first. */
        public boolean retryable() {
            return retryable;
        }
    }
}
