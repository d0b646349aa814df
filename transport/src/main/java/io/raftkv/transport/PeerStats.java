package io.raftkv.transport;

import java.net.InetSocketAddress;

/**
 * A snapshot of the transport's outbound state towards one peer.
 *
 * @param address the address this node reaches the peer at
 * @param control the control connection
 * @param bulk    the bulk connection
 */
public record PeerStats(InetSocketAddress address, LaneStats control, LaneStats bulk) {}
