/**
 * Peer-to-peer transport of raftkv: Raft messages and the node runtime's own messages between
 * servers, over TCP with Netty.
 *
 * <ul>
 *   <li>{@link io.raftkv.transport.PeerMessage} is what travels: a {@link io.raftkv.transport.RaftEnvelope}
 *       around a core {@code RaftMessage}, or an opaque {@link io.raftkv.transport.AppMessage}.</li>
 *   <li>{@link io.raftkv.transport.PeerMessageCodec} is the versioned binary wire format (described in
 *       {@code docs/transport.md}); every decoded field is validated and any violation is a
 *       {@link io.raftkv.transport.CorruptFrameException}.</li>
 *   <li>{@link io.raftkv.transport.PeerTransport} is what the node runtime uses;
 *       {@link io.raftkv.transport.NettyPeerTransport} implements it with one control and one bulk
 *       connection per peer, bounded queues, write batching and reconnect with backoff.</li>
 * </ul>
 *
 * Raft tolerates lost, duplicated and reordered messages (paper §5.5), so this transport never blocks
 * and never retries a message: when a queue is full or a peer is unreachable it drops and counts.
 */
package io.raftkv.transport;
