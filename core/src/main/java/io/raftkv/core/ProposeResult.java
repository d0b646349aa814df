package io.raftkv.core;

/** The outcome of {@link RaftCore#propose}: a value, not an exception, because both are expected. */
public sealed interface ProposeResult {
    /**
     * The command was appended to the leader's log. It is applied if and only if the entry
     * committed at {@code index} has this {@code term}; any other entry there means it was lost.
     */
    record Accepted(long index, long term) implements ProposeResult {}

    /** This server is not the leader; {@code leaderHint} is the leader it knows of, or null. */
    record NotLeader(NodeId leaderHint) implements ProposeResult {}
}
