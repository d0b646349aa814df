package io.raftkv.core;

/**
 * A leader's lease (thesis §6.4.1, R-READ-2). When a quorum acknowledges a heartbeat round sent
 * at tick t, none of them grants a vote before an election timeout has passed on its own clock
 * since it received it (check-quorum, thesis §4.2.3), so no other leader can exist before
 * t + electionTicks, less a margin for clock drift. Leader only; reset at every election.
 *
 * <p>A leader that transfers leadership forfeits its lease for the rest of its term: voters grant
 * a transfer's vote despite having just heard from it (thesis §3.10), and a TimeoutNow may still
 * be in flight after the transfer is aborted.
 */
final class LeaderLease {
    /** Lease reads are safe while the leader's tick count is below this. */
    private long untilTick;
    /** Forfeited for the rest of the term. */
    private boolean forfeited;

    /** A quorum acknowledged a round sent at {@code roundSentTick} (-1: unknown, which extends nothing). */
    void extend(long roundSentTick, int electionTicks, int driftMarginTicks) {
        if (roundSentTick >= 0 && !forfeited) {
            untilTick = Math.max(untilTick, roundSentTick + electionTicks - driftMarginTicks);
        }
    }

    boolean holds(long now) {
        return !forfeited && now < untilTick;
    }

    void forfeit() {
        forfeited = true;
        untilTick = 0;
    }

    /** A new term of leadership, or none. */
    void reset() {
        forfeited = false;
        untilTick = 0;
    }
}
