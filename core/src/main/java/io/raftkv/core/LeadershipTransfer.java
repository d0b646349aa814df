package io.raftkv.core;

/**
 * A leadership transfer in progress on the leader (thesis §3.10, R-ELECT-10). The thesis's steps:
 * <ol>
 *   <li>the leader stops accepting client requests;</li>
 *   <li>it brings the target's log up to date with its own (ordinary replication);</li>
 *   <li>it sends the target a {@link io.raftkv.core.message.TimeoutNow}, on which the target starts an
 *       election at once; the target, having the leader's whole log, is likely to win, and its higher
 *       term makes this leader step down;</li>
 *   <li>if that has not happened within an election timeout, the leader aborts the transfer and
 *       accepts client requests again.</li>
 * </ol>
 * Leader only; dropped when the leader steps down.
 */
final class LeadershipTransfer {
    /** The voter leadership goes to. */
    final NodeId target;
    /** The leader's tick when the transfer started. */
    private final long startTick;
    /** A TimeoutNow was sent (it may be resent if lost). */
    private boolean timeoutNowSent;

    LeadershipTransfer(NodeId target, long startTick) {
        this.target = target;
        this.startTick = startTick;
    }

    /** True once the transfer has run for an election timeout without this leader stepping down (step 4). */
    boolean expired(long now, int electionTicks) {
        return now - startTick >= electionTicks;
    }

    /**
     * True if a TimeoutNow should go to the target now: it holds the leader's whole log (step 3).
     * {@code resend} allows another copy (the target answered a heartbeat, so it is still in this
     * term: the earlier copy was lost).
     */
    boolean shouldSendTimeoutNow(long targetMatchIndex, long leaderLastIndex, boolean resend) {
        return targetMatchIndex >= leaderLastIndex && (!timeoutNowSent || resend);
    }

    void timeoutNowSent() {
        timeoutNowSent = true;
    }
}
