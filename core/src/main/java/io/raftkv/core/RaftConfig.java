package io.raftkv.core;

import java.util.Objects;

/**
 * Tuning of one Raft server. Time is counted in logical ticks; the driver decides how long a tick
 * lasts (the node runtime uses 10 ms, so the defaults give the 150-300 ms election timeout of
 * R-ELECT-2). Every limit has a reason, given on its accessor below.
 *
 * @param id                       this server's identity
 * @param electionTicks            base election timeout; the randomized timeout is drawn from
 *                                 {@code [electionTicks, 2 * electionTicks)} (paper §5.2, §5.6). Also the
 *                                 check-quorum period.
 * @param heartbeatTicks           ticks between a leader's heartbeats; must be well below electionTicks
 *                                 (paper §5.6: broadcastTime << electionTimeout)
 * @param preVote                  run a pre-vote before a real election (thesis §9.6, R-ELECT-8)
 * @param checkQuorum              a leader steps down after an election timeout without hearing from a
 *                                 quorum, and followers that hear from a leader ignore vote requests
 *                                 (thesis §6.2, §4.2.3, R-ELECT-9)
 * @param maxEntriesPerAppend      entries per AppendEntries request; bounds message size in count
 * @param maxBytesPerAppend        payload bytes per AppendEntries request; bounds message size in bytes
 *                                 (at least one entry is always sent so a large entry cannot stall)
 * @param maxInflightAppends       AppendEntries requests in flight per follower in the REPLICATE state;
 *                                 bounds memory held by the network for a slow follower (R-LOG-7)
 * @param leaseReads               allow lease reads (thesis §6.4.1, R-READ-2); needs checkQuorum. A server
 *                                 that restarts with durable state then grants no vote for one election
 *                                 timeout, since it may have helped grant a lease it no longer remembers
 * @param leaseDriftMarginTicks    lease reads end this many ticks before the election
 *                                 timeout, to absorb clock drift between servers: with electionTicks 15
 *                                 and a margin of 3, clocks may run up to 20% apart
 * @param snapshotChunkBytes       bytes per InstallSnapshot chunk; bounds message size, and one chunk at a
 *                                 time per follower bounds what a snapshot transfer holds in memory
 */
public record RaftConfig(NodeId id, int electionTicks, int heartbeatTicks, boolean preVote, boolean checkQuorum,
                         int maxEntriesPerAppend, int maxBytesPerAppend, int maxInflightAppends,
                         boolean leaseReads, int leaseDriftMarginTicks, int snapshotChunkBytes) {

    public RaftConfig {
        Objects.requireNonNull(id, "id");
        if (heartbeatTicks < 1) {
            throw new IllegalArgumentException("heartbeatTicks must be >= 1: " + heartbeatTicks);
        }
        if (electionTicks <= heartbeatTicks) {
            throw new IllegalArgumentException(
                    "electionTicks (" + electionTicks + ") must exceed heartbeatTicks (" + heartbeatTicks + ")");
        }
        if (maxEntriesPerAppend < 1 || maxBytesPerAppend < 1 || maxInflightAppends < 1) {
            throw new IllegalArgumentException("append limits must be >= 1");
        }
        if (leaseReads && !checkQuorum) {
            throw new IllegalArgumentException("lease reads need checkQuorum: a lease rests on followers ignoring"
                    + " vote requests while they hear from the leader");
        }
        if (leaseDriftMarginTicks < 1 || leaseDriftMarginTicks >= electionTicks) {
            throw new IllegalArgumentException("leaseDriftMarginTicks must be in [1, electionTicks): "
                    + leaseDriftMarginTicks);
        }
        if (snapshotChunkBytes < 1) {
            throw new IllegalArgumentException("snapshotChunkBytes must be >= 1: " + snapshotChunkBytes);
        }
    }

    /** Defaults: 10-tick election timeout, heartbeat every tick, pre-vote and check-quorum on. */
    public static Builder builder(NodeId id) {
        return new Builder(id);
    }

    /** A small builder so callers name what they change and keep the safe defaults for the rest. */
    public static final class Builder {
        private final NodeId id;
        private int electionTicks = 15;
        private int heartbeatTicks = 3;
        private boolean preVote = true;
        private boolean checkQuorum = true;
        private int maxEntriesPerAppend = 512;
        private int maxBytesPerAppend = 1 << 20;
        private int maxInflightAppends = 256;
        private int snapshotChunkBytes = 1 << 20;
        private int leaseDriftMarginTicks = 3;
        private boolean leaseReads;

        private Builder(NodeId id) {
            this.id = id;
        }

        public Builder electionTicks(int value) {
            electionTicks = value;
            return this;
        }

        public Builder heartbeatTicks(int value) {
            heartbeatTicks = value;
            return this;
        }

        public Builder preVote(boolean value) {
            preVote = value;
            return this;
        }

        public Builder checkQuorum(boolean value) {
            checkQuorum = value;
            return this;
        }

        public Builder maxEntriesPerAppend(int value) {
            maxEntriesPerAppend = value;
            return this;
        }

        public Builder maxBytesPerAppend(int value) {
            maxBytesPerAppend = value;
            return this;
        }

        public Builder maxInflightAppends(int value) {
            maxInflightAppends = value;
            return this;
        }

        public Builder leaseReads(boolean value) {
            leaseReads = value;
            return this;
        }

        public Builder leaseDriftMarginTicks(int value) {
            leaseDriftMarginTicks = value;
            return this;
        }

        public Builder snapshotChunkBytes(int value) {
            snapshotChunkBytes = value;
            return this;
        }

        public RaftConfig build() {
            return new RaftConfig(id, electionTicks, heartbeatTicks, preVote, checkQuorum, maxEntriesPerAppend,
                    maxBytesPerAppend, maxInflightAppends, leaseReads, leaseDriftMarginTicks,
                    snapshotChunkBytes);
        }
    }
}
