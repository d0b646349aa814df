package io.raftkv.core;

/**
 * The outcome of {@link RaftCore#transferLeadership} (thesis §3.10, R-ELECT-10). A started
 * transfer ends in one of two ways, both visible in the core's state after any input: this server
 * stops leading (it learned of the target's higher term; usually the target leads), or, after an
 * election timeout without that, the transfer is aborted and {@link RaftCore#transferTarget()}
 * returns null again while this server still leads.
 */
public sealed interface TransferResult {
    /** The transfer to {@code target} runs (or already ran, for a repeated call with the same target). */
    record Started(NodeId target) implements TransferResult {}

    /** The target is this leader itself: nothing to do. */
    record AlreadyLeader() implements TransferResult {}

    /** This server is not the leader; {@code leaderHint} is the leader it knows of, or null. */
    record NotLeader(NodeId leaderHint) implements TransferResult {}

    /** The target is no voter of the configuration in force (a learner, or no member): it could not win. */
    record TargetNotVoter(NodeId target) implements TransferResult {}

    /** A transfer to another server is running; it ends within an election timeout. Retryable. */
    record TransferInProgress(NodeId target) implements TransferResult {}
}
