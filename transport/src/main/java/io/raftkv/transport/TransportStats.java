package io.raftkv.transport;

import io.raftkv.core.NodeId;
import java.util.Map;

/**
 * A snapshot of a transport's counters, for metrics (R-OPS-3) and tests. Counters are totals since
 * the transport was created.
 *
 * @param messagesSent           messages written to a socket
 * @param bytesSent              their frame bytes
 * @param messagesReceived       messages decoded and handed to the inbound callback
 * @param bytesReceived          their frame bytes
 * @param dropped                messages dropped, by reason; every reason is present
 * @param connectionsEstablished outbound connections established
 * @param reconnects             outbound connection attempts that followed a failed attempt or a lost
 *                               connection
 * @param connectionsRejected    inbound connections closed because they sent a corrupt, oversized or
 *                               truncated frame
 * @param peers                  the outbound state towards each known peer
 */
public record TransportStats(long messagesSent, long bytesSent, long messagesReceived, long bytesReceived,
                             Map<DropReason, Long> dropped, long connectionsEstablished, long reconnects,
                             long connectionsRejected, Map<NodeId, PeerStats> peers) {
    public TransportStats {
        dropped = Map.copyOf(dropped);
        peers = Map.copyOf(peers);
    }

    /** Messages dropped for {@code reason}. */
    public long dropped(DropReason reason) {
        return dropped.getOrDefault(reason, 0L);
    }

    /** Messages dropped for any reason. */
    public long droppedTotal() {
        return dropped.values().stream().mapToLong(Long::longValue).sum();
    }
}
