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
    /** The leader's tick when it last heard from this member; {@link Long#MIN_VALUE} if never. */
    long lastHeardTick = Long.MIN_VALUE;
    /** Catch-up rounds (thesis §4.2.1): whether a learner may be promoted. Kept for voters too. */
    final CatchUpRounds catchUp = new CatchUpRounds();
    /** matchIndex when the previous heartbeat response arrived; detects a stalled pipeline. */
    long matchAtLastHeartbeat = -1;
    /** Highest ReadIndex round this follower acknowledged in the current term (thesis §6.4). */
    long ackedReadRound;
    final Inflights inflights;
    /** In SNAPSHOT: the snapshot being sent. */
    LocalSnapshot snapshot;
    /** In SNAPSHOT: the byte offset the follower expects next. */
    long snapshotOffset;
    /** In SNAPSHOT: a chunk is outstanding. */
    boolean snapshotChunkSent;
    /** In SNAPSHOT: snapshotOffset when the previous heartbeat response arrived; detects a lost chunk. */
    long snapshotOffsetAtLastHeartbeat = -1;

    Progress(long nextIndex, int maxInflight) {
        this.nextIndex = nextIndex;
        this.inflights = new Inflights(maxInflight);
    }

    void becomeProbe(long next) {
        clearSnapshot();
        state = ProgressState.PROBE;
        nextIndex = Math.max(next, matchIndex + 1);
        probeSent = false;
        inflights.reset();
    }

    void becomeReplicate() {
        clearSnapshot();
        state = ProgressState.REPLICATE;
        nextIndex = matchIndex + 1;
        probeSent = false;
        inflights.reset();
    }

    /** Starts sending {@code local} from its first byte; no AppendEntries go out meanwhile. */
    void becomeSnapshot(LocalSnapshot local) {
        state = ProgressState.SNAPSHOT;
        snapshot = local;
        snapshotOffset = 0;
        snapshotChunkSent = false;
        snapshotOffsetAtLastHeartbeat = -1;
        probeSent = false;
        inflights.reset();
    }

    private void clearSnapshot() {
        snapshot = null;
        snapshotOffset = 0;
        snapshotChunkSent = false;
    }

    /** In SNAPSHOT: reads the chunk at {@link #snapshotOffset}, at most {@code maxBytes} long. */
    byte[] readSnapshotChunk(int maxBytes) {
        int length = (int) Math.min(maxBytes, snapshot.sizeBytes() - snapshotOffset);
        byte[] data = snapshot.reader().read(snapshotOffset, length);
        if (data.length != length) {
            throw new IllegalStateException("snapshot reader returned " + data.length + " bytes at offset "
                    + snapshotOffset + ", expected " + length);
        }
        return data;
    }

    /**
     * Caught up (thesis §4.2.1): heard from within the election timeout, and caught up by its rounds
     * ({@link CatchUpRounds#caughtUp}).
     */
    boolean caughtUp(long leaderLastIndex, long now, int electionTicks) {
        return ticksSinceHeard(now) < electionTicks && catchUp.caughtUp(matchIndex, leaderLastIndex, now, electionTicks);
    }

    PeerStatus status(boolean voter, long leaderLastIndex, long now, int electionTicks) {
        return new PeerStatus(voter, matchIndex, state, ticksSinceHeard(now), catchUp.completed(), catchUp.lastRoundTicks(),
                caughtUp(leaderLastIndex, now, electionTicks));
    }

    /** True if nothing more may be sent now. */
    boolean isPaused() {
        return switch (state) {
            case PROBE -> probeSent;
            case REPLICATE -> inflights.isFull();
            case SNAPSHOT -> snapshotChunkSent;
        };
    }

    /** A response arrived from this member at tick {@code now}. */
    void heardFrom(long now) {
        recentActive = true;
        lastHeardTick = now;
    }

    /** Ticks since the leader last heard from this member; {@link Long#MAX_VALUE} if never. */
    long ticksSinceHeard(long now) {
        return lastHeardTick == Long.MIN_VALUE ? Long.MAX_VALUE : now - lastHeardTick;
    }

    /**
     * Records a successful AppendEntries (or installed snapshot) up to {@code index}, answered at
     * tick {@code now}; returns whether matchIndex rose.
     */
    boolean maybeUpdate(long index, long now) {
        boolean updated = index > matchIndex;
        if (updated) {
            matchIndex = index;
            probeSent = false;
            catchUp.onMatch(index, now);
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
