package io.raftkv.core;

/**
 * Catch-up rounds of one member, kept by the leader (thesis §4.2.1): "replication of entries to
 * the new server is split into rounds ... each round replicates all the log entries present in the
 * leader's log at the start of the round ... If the last round lasts less than an election timeout,
 * then the leader adds the new server to the cluster". Time is the leader's tick count.
 *
 * <p>A round starts when the leader sends entries (or a snapshot) the member lacks while no round
 * runs, and ends when the member's match index reaches the leader's last index at the start. The
 * thesis also bounds the number of rounds and aborts the change after that; here the leader only
 * reports the status and refuses an early promotion, and the caller decides when to give up.
 */
final class CatchUpRounds {
    /** A round runs: it ends when matchIndex reaches {@link #roundEndIndex}. */
    private boolean running;
    /** The leader's last index when the running round started. */
    private long roundEndIndex;
    /** The tick at which the running round started. */
    private long roundStartTick;
    /** Rounds completed. */
    private int completed;
    /** Ticks the last completed round took; {@link Long#MAX_VALUE} before the first. */
    private long lastRoundTicks = Long.MAX_VALUE;

    /** Entries up to {@code leaderLastIndex} are being sent to a member that holds up to {@code matchIndex}. */
    void onSend(long matchIndex, long leaderLastIndex, long now) {
        if (!running && leaderLastIndex > matchIndex) {
            running = true;
            roundEndIndex = leaderLastIndex;
            roundStartTick = now;
        }
    }

    /** The member's match index rose to {@code matchIndex}. */
    void onMatch(long matchIndex, long now) {
        if (running && matchIndex >= roundEndIndex) {
            running = false;
            completed++;
            lastRoundTicks = now - roundStartTick;
        }
    }

    /**
     * True if the member is caught up: it holds the leader's whole log, or its last round took
     * less than {@code electionTicks} and the running one (if any) has not yet taken that long.
     * Whether the member was heard from recently is the caller's concern.
     */
    boolean caughtUp(long matchIndex, long leaderLastIndex, long now, int electionTicks) {
        if (matchIndex >= leaderLastIndex) {
            return true;
        }
        return completed > 0 && lastRoundTicks < electionTicks && (!running || now - roundStartTick < electionTicks);
    }

    int completed() {
        return completed;
    }

    long lastRoundTicks() {
        return lastRoundTicks;
    }
}
