package io.raftkv.node;

/** How a membership change requested through {@link RaftNode#changeMembership} ended. */
public enum MembershipOutcome {
    /** The change was committed: it is in force on a majority and will be everywhere. */
    CHANGED,
    /** The committed configuration already had it; nothing was appended (retries are idempotent). */
    ALREADY_DONE
}
