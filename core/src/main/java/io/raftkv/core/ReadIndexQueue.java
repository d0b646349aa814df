package io.raftkv.core;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * A leader's pending linearizable reads (thesis §6.4, ReadIndex). A read records the commit index
 * when it arrives, then waits until a quorum has answered a heartbeat round that started after it
 * arrived: that proves no newer leader had been elected when the read index was taken. All reads
 * that arrive before a round is sent share that round (R-READ-1: concurrent reads share one heartbeat).
 *
 * <p>Reads that arrive before the leader has committed an entry of its own term wait apart: until
 * then its commit index may lag the cluster's (thesis §6.4 step 1; etcd-io/raft issue 7331).
 */
final class ReadIndexQueue {
    /** A read waiting for confirmation; {@code origin} is the server that will serve it. */
    record PendingRead(long requestId, NodeId origin, long readIndex, long round) {}

    /** Reads waiting for a quorum to acknowledge their round, in round order. */
    private final ArrayDeque<PendingRead> awaitingQuorum = new ArrayDeque<>();
    /** Reads that arrived before the leader committed an entry of its term. */
    private final List<PendingRead> awaitingLeaderCommit = new ArrayList<>();
    /** The latest round started; heartbeats carry it. */
    private long currentRound;
    /** A read is waiting for a round that has not been broadcast yet. */
    private boolean roundRequested;
    /** When recent rounds were sent, in the leader's ticks; for leases (thesis §6.4.1). */
    private final java.util.TreeMap<Long, Long> roundSentTick = new java.util.TreeMap<>();

    void addAwaitingLeaderCommit(long requestId, NodeId origin) {
        awaitingLeaderCommit.add(new PendingRead(requestId, origin, 0, 0));
    }

    /** Queues a read at {@code readIndex} for the next round. */
    void add(long requestId, NodeId origin, long readIndex) {
        awaitingQuorum.add(new PendingRead(requestId, origin, readIndex, currentRound + 1));
        roundRequested = true;
    }

    /** Reads that waited for the leader's first commit, to be queued again now that it happened. */
    List<PendingRead> takeAwaitingLeaderCommit() {
        List<PendingRead> out = new ArrayList<>(awaitingLeaderCommit);
        awaitingLeaderCommit.clear();
        return out;
    }

    boolean roundRequested() {
        return roundRequested;
    }

    /** Starts the requested round; returns its number for the heartbeats that carry it. */
    long startRound(long nowTick) {
        roundRequested = false;
        currentRound++;
        roundSentTick.put(currentRound, nowTick);
        // Only rounds a quorum may still acknowledge matter for leases; keep the map small.
        roundSentTick.headMap(currentRound - 64).clear();
        return currentRound;
    }

    /** The tick at which {@code round} was sent, or -1 if unknown (too old, or from another term). */
    long sentTick(long round) {
        Long tick = roundSentTick.get(round);
        return tick == null ? -1 : tick;
    }

    long currentRound() {
        return currentRound;
    }

    /**
     * Removes and returns the reads whose round is confirmed, given the highest round that a quorum
     * (the leader included) has acknowledged.
     */
    List<PendingRead> takeConfirmed(long quorumRound) {
        List<PendingRead> out = new ArrayList<>();
        while (!awaitingQuorum.isEmpty() && awaitingQuorum.peekFirst().round() <= quorumRound) {
            out.add(awaitingQuorum.pollFirst());
        }
        return out;
    }

    /** Removes every pending read: leadership was lost. */
    List<PendingRead> clear() {
        List<PendingRead> out = new ArrayList<>(awaitingLeaderCommit);
        out.addAll(awaitingQuorum);
        awaitingLeaderCommit.clear();
        awaitingQuorum.clear();
        roundRequested = false;
        roundSentTick.clear();
        return out;
    }

    boolean isEmpty() {
        return awaitingQuorum.isEmpty() && awaitingLeaderCommit.isEmpty();
    }
}
