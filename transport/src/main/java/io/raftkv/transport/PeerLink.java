package io.raftkv.transport;

import java.net.InetSocketAddress;

/** The two outbound lanes, control and bulk, of one peer. */
final class PeerLink {
    private final OutboundLane control;
    private final OutboundLane bulk;

    PeerLink(OutboundLane control, OutboundLane bulk) {
        this.control = control;
        this.bulk = bulk;
    }

    void send(PeerMessage message, long frameBytes, TrafficClass trafficClass) {
        (trafficClass == TrafficClass.CONTROL ? control : bulk).send(message, frameBytes);
    }

    void moveTo(InetSocketAddress address) {
        control.moveTo(address);
        bulk.moveTo(address);
    }

    void close() {
        control.close();
        bulk.close();
    }

    PeerStats stats() {
        return new PeerStats(control.address(), control.stats(), bulk.stats());
    }
}
