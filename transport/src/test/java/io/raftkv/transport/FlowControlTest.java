package io.raftkv.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.raftkv.core.ClusterConfig;
import io.raftkv.core.NodeId;
import io.raftkv.core.message.HeartbeatRequest;
import io.raftkv.core.message.InstallSnapshotRequest;
import io.raftkv.core.message.RaftMessage;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Heartbeats against snapshot transfers, and a peer that stops reading: the control connection is
 * never stuck behind the bulk one, and queues stay within their bounds (R-OPS-5). Assertions are on
 * arrival and order, never on elapsed time.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class FlowControlTest {
    private static final NodeId N1 = NodeId.of("n1");
    private static final NodeId N2 = NodeId.of("n2");
    private static final ClusterConfig CONFIG = new ClusterConfig(Set.of(N1, N2), Set.of());
    private static final int CHUNK_BYTES = 1 << 20;
    private static final byte[] CHUNK = new byte[CHUNK_BYTES];
    /** Chunks outstanding (sent, not yet received) that a heartbeat must overtake: 12 MiB. */
    private static final int MIN_BACKLOG = 12;

    /** With a single connection per peer, no heartbeat could pass a stalled snapshot transfer. */
    @Test
    void heartbeatsFlowWhileTheBulkConnectionIsStalled() throws Exception {
        try (RawPeer peer = new RawPeer(RawPeer.Mode.STALL_ON_SNAPSHOT);
             NettyPeerTransport t1 = TestNodes.start("n1", new Inbox())) {
            t1.setPeerAddress(N2, peer.address());
            int chunks = 80;
            for (int i = 0; i < chunks; i++) {
                t1.send(chunk(i, chunks));
            }
            Await.until(() -> peer.stalledConnections() == 1, () -> "the bulk connection reaching the stalling peer");
            for (int round = 0; round < 500; round++) {
                t1.send(heartbeat(round));
            }
            Await.until(() -> peer.received().size() == 500, () -> "heartbeats past the stalled snapshot: "
                    + peer.received().size() + " of 500; " + t1.stats());
            List<Long> rounds = peer.received().stream()
                    .map(m -> ((HeartbeatRequest) ((RaftEnvelope) m).message()).readRound()).toList();
            assertThat(rounds).as("every heartbeat, in order").isEqualTo(sequence(500));

            LaneStats bulk = t1.stats().peers().get(N2).bulk();
            assertThat(bulk.queuedBytes() + bulk.pendingWriteBytes()).as("the snapshot is stuck, not delivered")
                    .isPositive();
        }
    }

    /**
     * A real transfer: a steady backlog of snapshot chunks to n2 while n1 sends heartbeats. Every
     * heartbeat sent while at least {@link #MIN_BACKLOG} chunks were outstanding must overtake them:
     * it arrives before n2 has received all the chunks sent before it.
     */
    @Test
    void heartbeatsOvertakeASnapshotStreamToTheSamePeer() throws Exception {
        int chunks = 240;
        AtomicInteger chunksReceived = new AtomicInteger();
        AtomicLong lastOffset = new AtomicLong(-1);
        ConcurrentLinkedQueue<String> errors = new ConcurrentLinkedQueue<>();
        ConcurrentHashMap<Long, Integer> chunksReceivedAtArrival = new ConcurrentHashMap<>();
        List<Long> heartbeatOrder = new CopyOnWriteArrayList<>();
        Inbox unused = new Inbox();
        try (NettyPeerTransport t2 = TestNodes.start("n2", message -> {
                RaftMessage raft = ((RaftEnvelope) message).message();
                if (raft instanceof InstallSnapshotRequest chunk) {
                    if (chunk.offset() <= lastOffset.getAndSet(chunk.offset())) {
                        errors.add("chunk at " + chunk.offset() + " out of order");
                    }
                    chunksReceived.incrementAndGet();
                } else if (raft instanceof HeartbeatRequest heartbeat) {
                    chunksReceivedAtArrival.put(heartbeat.readRound(), chunksReceived.get());
                    heartbeatOrder.add(heartbeat.readRound());
                }
            });
             NettyPeerTransport t1 = TestNodes.start("n1", unused)) {
            t1.setPeerAddress(N2, t2.boundAddress());
            List<long[]> heartbeats = new ArrayList<>(); // {round, chunks sent before it, backlog then}
            int sent = 0;
            long round = 0;
            while (sent < chunks) {
                if (sent - chunksReceived.get() < 2 * MIN_BACKLOG) {
                    t1.send(chunk(sent, chunks));
                    sent++;
                    continue;
                }
                // The backlog is full: the leader's heartbeat timer fires.
                heartbeats.add(new long[] {round, sent, sent - chunksReceived.get()});
                t1.send(heartbeat(round++));
                Await.pause();
            }
            long lastRound = round - 1;
            Await.until(() -> chunksReceived.get() == chunks && chunksReceivedAtArrival.containsKey(lastRound),
                    () -> "chunks " + chunksReceived.get() + " of " + chunks + ", heartbeats "
                            + chunksReceivedAtArrival.size() + " of " + (lastRound + 1) + "; " + t1.stats());

            assertThat(errors).isEmpty();
            assertThat(heartbeatOrder).as("every heartbeat, in order").isEqualTo(sequence((int) round));
            assertThat(heartbeats).as("heartbeats sent during the transfer").hasSizeGreaterThan(10);
            for (long[] heartbeat : heartbeats) {
                if (heartbeat[2] >= MIN_BACKLOG) {
                    assertThat(chunksReceivedAtArrival.get(heartbeat[0]))
                            .as("chunks received when heartbeat %d arrived; %d had been sent before it",
                                    heartbeat[0], heartbeat[1])
                            .isLessThan((int) heartbeat[1]);
                }
            }
            assertThat(t1.stats().droppedTotal()).isZero();
        }
    }

    /** A peer that accepts and never reads: memory held for it stays bounded and the excess is dropped. */
    @Test
    void aPeerThatNeverReadsCostsBoundedMemory() throws Exception {
        TransportOptions options = TransportOptions.builder()
                .maxFrameBytes(2 << 20)
                .controlQueue(256, 256 << 10)
                .bulkQueue(16, 8 << 20)
                .bulkWriteBuffer(1 << 20, 2 << 20)
                .build();
        int chunks = 1500;
        int heartbeats = 20_000;
        try (RawPeer peer = new RawPeer(RawPeer.Mode.NEVER_READ);
             NettyPeerTransport t1 = TestNodes.start("n1", 0, options, new Inbox())) {
            t1.setPeerAddress(N2, peer.address());
            for (int i = 0; i < Math.max(chunks, heartbeats); i++) {
                if (i < chunks) {
                    t1.send(chunk(i, chunks));
                }
                if (i < heartbeats) {
                    t1.send(heartbeat(i));
                }
            }
            // Once the socket buffers are full nothing moves any more; then every message is accounted for.
            List<List<Long>> recent = new ArrayList<>();
            Await.until(() -> {
                recent.add(movement(t1.stats()));
                int n = recent.size();
                return n >= 5 && recent.subList(n - 5, n).stream().distinct().count() == 1
                        && t1.stats().dropped(DropReason.QUEUE_FULL) > 0;
            }, () -> "the blocked lanes settling: " + t1.stats());

            TransportStats stats = t1.stats();
            LaneStats bulk = stats.peers().get(N2).bulk();
            LaneStats control = stats.peers().get(N2).control();
            assertThat(bulk.queuedMessages()).isLessThanOrEqualTo(16);
            assertThat(bulk.queuedBytes()).isLessThanOrEqualTo(8 << 20);
            assertThat(bulk.pendingWriteBytes()).as("Netty's buffer: high water mark plus one frame")
                    .isLessThanOrEqualTo((2 << 20) + (2 << 20) + 4);
            assertThat(control.queuedBytes()).isLessThanOrEqualTo(256 << 10);
            assertThat(control.pendingWriteBytes()).isLessThanOrEqualTo((256 << 10) + (64 << 10));
            assertThat(stats.dropped(DropReason.QUEUE_FULL)).as("most chunks cannot be held").isGreaterThan(chunks / 2);
            long accounted = stats.messagesSent() + stats.droppedTotal() + bulk.queuedMessages() + control.queuedMessages();
            assertThat(accounted).as("no message is both kept and counted").isLessThanOrEqualTo(chunks + heartbeats);
        }
    }

    /** What changes while messages still move: written, dropped, queued, buffered. */
    private static List<Long> movement(TransportStats stats) {
        PeerStats peer = stats.peers().get(N2);
        return List.of(stats.messagesSent(), stats.droppedTotal(), (long) peer.bulk().queuedMessages(),
                (long) peer.control().queuedMessages(), peer.bulk().pendingWriteBytes(),
                peer.control().pendingWriteBytes());
    }

    private static PeerMessage chunk(int index, int count) {
        long total = (long) count * CHUNK_BYTES;
        long offset = (long) index * CHUNK_BYTES;
        return new RaftEnvelope(new InstallSnapshotRequest(2, N1, N2, 1000, 2, CONFIG, total, offset, CHUNK,
                index == count - 1));
    }

    private static PeerMessage heartbeat(long round) {
        return new RaftEnvelope(new HeartbeatRequest(2, N1, N2, 0, round));
    }

    private static List<Long> sequence(int count) {
        List<Long> sequence = new ArrayList<>();
        for (long i = 0; i < count; i++) {
            sequence.add(i);
        }
        return sequence;
    }
}
