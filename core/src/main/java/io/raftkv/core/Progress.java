package io.raftkv.core;

/**
 * What a leader knows about one follower (paper Figure 2, "volatile state on leaders"). Valid on
 * the leader only; rebuilt at every election.
 *
 * <p>Invariant: {@code matchIndex < nextIndex}.
 */
final class Progress {
    /** Highest index known to be replicated on the follower; raised only by a successful AppendEntries. */
    long matchIndex;
    /** Index of the next entry to send. */
    long nextIndex;
    ProgressState state = ProgressState.PROBE;
    /** In PROBE: a probe is outstanding, so send nothing more until it is answered or a heartbeat is. */
    boolean probeSent;
    /** Heard from since the last check-quorum period (thesis §6.2). */
    boolean recentActive;
    /** matchIndex when the previous heartbeat response arrived; detects a stalled pipeline. */
    long matchAtLastHeartbeat = -1;
    /** Highest ReadIndex round this follower acknowledged in the current term (thesis §6.4). */
    long ackedReadRound;
    final Inflights inflights;

    Progress(long nextIndex, int maxInflight) {
        this.nextIndex = nextIndex;
        this.inflights = new Inflights(maxInflight);
    }

    void becomeProbe(long next) {
        state = ProgressState.PROBE;
        nextIndex = Math.max(next, matchIndex + 1);
        probeSent = false;
        inflights.reset();
    }

    void becomeReplicate() {
        state = ProgressState.REPLICATE;
        nextIndex = matchIndex + 1;
        probeSent = false;
        inflights.reset();
    }

    /** True if nothing more may be sent now. */
    boolean isPaused() {
        return state == ProgressState.PROBE ? probeSent : inflights.isFull();
    }

    /** Records a successful AppendEntries up to {@code index}; returns whether matchIndex rose. */
    boolean maybeUpdate(long index) {
        boolean updated = index > matchIndex;
        if (updated) {
            matchIndex = index;
            probeSent = false;
        }
        nextIndex = Math.max(nextIndex, index + 1);
        return updated;
    }

    @Override
    public String toString() {
        return state + "[match=" + matchIndex + ", next=" + nextIndex + (probeSent ? ", probeSent" : "")
                + ", inflight=" + inflights.count() + "]";
    }
}
