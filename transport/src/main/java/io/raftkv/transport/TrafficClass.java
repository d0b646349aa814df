package io.raftkv.transport;

import io.raftkv.core.message.AppendEntriesRequest;
import io.raftkv.core.message.InstallSnapshotRequest;
import io.raftkv.core.message.RaftMessage;

/**
 * Which of a peer's two connections a message travels on. Each class has its own connection, queue
 * and write-buffer limits, so a heartbeat never waits behind a megabyte of log entries or a snapshot
 * chunk (the reason the core keeps heartbeats apart from AppendEntries; see docs/design.md).
 *
 * <p>Order is kept only within one class of one peer, and only while a connection lasts: Raft copes
 * with reordering and loss (paper §5.5), and the node runtime must not rely on more.
 */
public enum TrafficClass {
    /** Small, latency-sensitive messages: heartbeats, votes, read-index traffic, responses. */
    CONTROL,
    /** AppendEntries that carry entries, InstallSnapshot chunks, and any other large message. */
    BULK;

    /**
     * The class of a message whose frame takes {@code frameBytes}: bulk for AppendEntries with
     * entries, InstallSnapshot chunks, and anything larger than {@code controlMessageBytesMax}
     * (a large forwarded proposal, for instance); control otherwise.
     */
    public static TrafficClass of(PeerMessage message, long frameBytes, long controlMessageBytesMax) {
        if (frameBytes > controlMessageBytesMax) {
            return BULK;
        }
        if (message instanceof RaftEnvelope envelope) {
            RaftMessage raft = envelope.message();
            if (raft instanceof InstallSnapshotRequest) {
                return BULK;
            }
            if (raft instanceof AppendEntriesRequest append && !append.entries().isEmpty()) {
                return BULK;
            }
        }
        return CONTROL;
    }
}
