package io.raftkv.core;

/**
 * A linearizable read that is now safe to serve (thesis §6.4, ReadIndex): once the local state
 * machine has applied at least {@code readIndex}, the read may be answered from it.
 *
 * @param requestId the id the driver passed to {@link RaftCore#readIndex(long)}
 * @param readIndex the leader's commit index at the time the read was received, confirmed by a quorum
 */
public record ReadState(long requestId, long readIndex) {}
