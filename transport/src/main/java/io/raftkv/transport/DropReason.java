package io.raftkv.transport;

/**
 * Why the transport dropped a message. Raft tolerates lost messages (paper §5.5) and retransmits on
 * its own schedule, so the transport never blocks or retries; it drops, counts the reason in
 * {@link TransportStats}, and lets the protocol recover.
 */
public enum DropReason {
    /** The peer's outbound queue for the message's class was full, in messages or in bytes. */
    QUEUE_FULL,
    /**
     * The peer could not be reached: its last connection attempt failed or its connection was lost,
     * and the transport is waiting out the reconnect backoff. Messages still queued when a connection
     * is lost count here too: they would be stale by the time the peer is back.
     */
    PEER_UNREACHABLE,
    /** No address is known for the destination, or the destination is this node itself. */
    UNKNOWN_PEER,
    /** The message's frame would exceed the frame size or entry limit a receiver accepts. */
    OVERSIZED,
    /** The message was handed to a connection that failed before the message was written out. */
    CONNECTION_LOST,
    /** The transport was closed, or the peer removed, while the message was queued or being sent. */
    CLOSED,
    /** Inbound: a message arrived addressed to another node. */
    WRONG_DESTINATION
}
