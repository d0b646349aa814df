package io.raftkv.transport;

import io.raftkv.core.NodeId;
import java.net.InetSocketAddress;

/**
 * Carries {@link PeerMessage}s between servers. Delivery is best effort: a message may be lost,
 * for instance when a queue is full or a peer is down, and is then counted in {@link #stats()};
 * Raft retransmits on its own schedule (paper §5.5). Messages of one {@link TrafficClass} to one
 * peer arrive in the order they were sent, as long as the connection lasts.
 *
 * <p>Inbound messages are handed to the callback given at construction, on the transport's I/O
 * threads (see the implementation for details); the callback must not block.
 */
public interface PeerTransport extends AutoCloseable {

    /** Binds the server socket; inbound messages flow from then on. Call at most once. */
    void start();

    /** The address the server socket is bound to (with the actual port if 0 was asked); after {@link #start()}. */
    InetSocketAddress boundAddress();

    /**
     * Queues a message for its destination and returns at once: never blocks, never throws for a
     * network condition (the Raft loop thread calls it). A message that cannot be queued is dropped
     * and counted by {@link DropReason}.
     *
     * @throws IllegalArgumentException if the message is not from this node (a programming error)
     */
    void send(PeerMessage message);

    /** Adds a peer, or moves it: messages to {@code peer} go to {@code address} from now on. */
    void setPeerAddress(NodeId peer, InetSocketAddress address);

    /** Forgets a peer: closes its connections and drops what is queued for it ({@link DropReason#CLOSED}). */
    void removePeer(NodeId peer);

    /** A snapshot of the counters. */
    TransportStats stats();

    /** Closes every connection and the server socket, and stops the I/O threads. Idempotent. */
    @Override
    void close();
}
