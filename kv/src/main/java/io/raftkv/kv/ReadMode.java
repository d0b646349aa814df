package io.raftkv.kv;

/**
 * How a read is made consistent before it is served from the local state machine (R-READ-1..3).
 * The default is the safe one; weaker modes are explicit per connection (LESSONS.md: Ratis reads
 * were not linearizable by default).
 */
public enum ReadMode {
    /**
     * ReadIndex (thesis §6.4): the leader confirms with a heartbeat round that it still leads,
     * and the local node waits until it has applied the leader's commit index. Linearizable on any
     * node; costs one round trip to a quorum (shared by concurrent reads).
     */
    LINEARIZABLE,
    /**
     * Leader lease (thesis §6.4.1): the leader skips the heartbeat round while its lease holds.
     * Linearizable only if clock drift between nodes stays within the configured bound.
     */
    LEASE,
    /**
     * Whatever this node has applied, with no check at all: may be arbitrarily stale on a
     * partitioned follower ("serializable" reads, R-READ-3). Chosen by the Redis READONLY command.
     */
    STALE
}
