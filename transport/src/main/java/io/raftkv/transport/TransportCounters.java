package io.raftkv.transport;

import io.raftkv.core.NodeId;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * The transport's live counters, updated from the caller's thread and from every I/O thread.
 * {@link LongAdder}s, because many threads add and only a stats reader sums.
 */
final class TransportCounters {
    private final LongAdder messagesSent = new LongAdder();
    private final LongAdder bytesSent = new LongAdder();
    private final LongAdder messagesReceived = new LongAdder();
    private final LongAdder bytesReceived = new LongAdder();
    private final LongAdder connectionsEstablished = new LongAdder();
    private final LongAdder reconnects = new LongAdder();
    private final LongAdder connectionsRejected = new LongAdder();
    private final Map<DropReason, LongAdder> dropped = new EnumMap<>(DropReason.class);

    TransportCounters() {
        for (DropReason reason : DropReason.values()) {
            dropped.put(reason, new LongAdder());
        }
    }

    void sent(long frameBytes) {
        messagesSent.increment();
        bytesSent.add(frameBytes);
    }

    void received(long frameBytes) {
        messagesReceived.increment();
        bytesReceived.add(frameBytes);
    }

    void dropped(DropReason reason) {
        dropped.get(reason).increment();
    }

    void dropped(DropReason reason, int count) {
        dropped.get(reason).add(count);
    }

    void connectionEstablished() {
        connectionsEstablished.increment();
    }

    void reconnect() {
        reconnects.increment();
    }

    void connectionRejected() {
        connectionsRejected.increment();
    }

    TransportStats snapshot(Map<NodeId, PeerStats> peers) {
        Map<DropReason, Long> drops = new EnumMap<>(DropReason.class);
        dropped.forEach((reason, count) -> drops.put(reason, count.sum()));
        return new TransportStats(messagesSent.sum(), bytesSent.sum(), messagesReceived.sum(), bytesReceived.sum(),
                drops, connectionsEstablished.sum(), reconnects.sum(), connectionsRejected.sum(), peers);
    }
}
