package io.raftkv.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import io.raftkv.core.NodeId;
import io.raftkv.core.message.HeartbeatRequest;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Transports on 127.0.0.1 exchanging real traffic: delivery, order per class, peers down and back, addressing. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class NettyPeerTransportTest {
    private static final NodeId N1 = NodeId.of("n1");
    private static final NodeId N2 = NodeId.of("n2");

    private final List<NettyPeerTransport> transports = new ArrayList<>();
    private final PeerMessageCodec codec = PeerMessageCodec.withDefaults();

    @AfterEach
    void closeAll() {
        transports.forEach(NettyPeerTransport::close);
    }

    @Test
    void twoTransportsExchangeThousandsOfMessagesOfEveryKind() throws Exception {
        Inbox inbox1 = new Inbox();
        Inbox inbox2 = new Inbox();
        NettyPeerTransport t1 = track(TestNodes.start("n1", inbox1));
        NettyPeerTransport t2 = track(TestNodes.start("n2", inbox2));
        TestNodes.connectAll(t1, t2);

        List<PeerMessage> from1 = randomMessages(11, N1, N2, 3000);
        List<PeerMessage> from2 = randomMessages(12, N2, N1, 3000);
        Thread sender = new Thread(() -> from2.forEach(t2::send), "test-sender-n2");
        sender.start();
        from1.forEach(t1::send);
        sender.join();

        inbox2.awaitAtLeast(from1.size(), "messages n1 -> n2");
        inbox1.awaitAtLeast(from2.size(), "messages n2 -> n1");
        assertDeliveredInOrderPerClass(from1, inbox2.messages());
        assertDeliveredInOrderPerClass(from2, inbox1.messages());
        assertThat(kinds(inbox2.messages())).containsExactlyInAnyOrder(WireType.values());
        for (NettyPeerTransport t : List.of(t1, t2)) {
            TransportStats stats = t.stats();
            assertThat(stats.droppedTotal()).as("drops at %s: %s", t.self(), stats.dropped()).isZero();
            assertThat(stats.messagesSent()).isEqualTo(3000);
            assertThat(stats.messagesReceived()).isEqualTo(3000);
            assertThat(stats.bytesSent()).isPositive();
        }
        assertThat(t1.stats().bytesSent()).isEqualTo(t2.stats().bytesReceived());
    }

    @Test
    void threeTransportsExchangeInEveryDirection() throws Exception {
        Map<NodeId, Inbox> inboxes = new HashMap<>();
        List<NettyPeerTransport> nodes = new ArrayList<>();
        for (String id : List.of("a", "b", "c")) {
            Inbox inbox = new Inbox();
            inboxes.put(NodeId.of(id), inbox);
            nodes.add(track(TestNodes.start(id, inbox)));
        }
        TestNodes.connectAll(nodes.toArray(NettyPeerTransport[]::new));

        Map<List<NodeId>, List<PeerMessage>> sent = new HashMap<>();
        List<Thread> senders = new ArrayList<>();
        long seed = 100;
        for (NettyPeerTransport from : nodes) {
            List<PeerMessage> outgoing = new ArrayList<>();
            for (NettyPeerTransport to : nodes) {
                if (from != to) {
                    List<PeerMessage> messages = randomMessages(seed++, from.self(), to.self(), 1000);
                    sent.put(List.of(from.self(), to.self()), messages);
                    outgoing.addAll(messages);
                }
            }
            senders.add(new Thread(() -> outgoing.forEach(from::send), "test-sender-" + from.self()));
        }
        senders.forEach(Thread::start);
        for (Thread sender : senders) {
            sender.join();
        }
        for (NettyPeerTransport to : nodes) {
            Inbox inbox = inboxes.get(to.self());
            inbox.awaitAtLeast(2000, "messages to " + to.self());
            for (NettyPeerTransport from : nodes) {
                if (from != to) {
                    List<PeerMessage> received = inbox.messages().stream().filter(m -> m.from().equals(from.self())).toList();
                    assertDeliveredInOrderPerClass(sent.get(List.of(from.self(), to.self())), received);
                }
            }
        }
        nodes.forEach(t -> assertThat(t.stats().droppedTotal()).isZero());
    }

    @Test
    void messagesToADownPeerAreDroppedAndCountedUntilItComesUp() {
        int port = TestNodes.freePort();
        NettyPeerTransport t1 = track(TestNodes.start("n1", new Inbox()));
        t1.setPeerAddress(N2, new InetSocketAddress(TestNodes.LOOPBACK, port));

        for (int i = 0; i < 100; i++) {
            t1.send(heartbeat(i));
        }
        Await.until(() -> t1.stats().dropped(DropReason.PEER_UNREACHABLE) >= 100,
                () -> "drops while n2 is down: " + t1.stats().dropped());

        Inbox inbox2 = new Inbox();
        NettyPeerTransport t2 = track(TestNodes.start("n2", port, TransportOptions.defaults(), inbox2));
        assertThat(t2.boundAddress().getPort()).isEqualTo(port);
        // Raft keeps sending heartbeats; the next one after the backoff reconnects.
        sendUntil(t1, () -> inbox2.size() > 0, "n1 reaching n2 once it is up");

        TransportStats stats = t1.stats();
        assertThat(stats.reconnects()).isPositive();
        assertThat(stats.connectionsEstablished()).isPositive();
        assertThat(stats.peers().get(N2).control().connected()).isTrue();
    }

    @Test
    void aRestartedPeerIsReachedAgain() {
        Inbox inbox1 = new Inbox();
        Inbox inbox2 = new Inbox();
        NettyPeerTransport t1 = track(TestNodes.start("n1", inbox1));
        NettyPeerTransport t2 = TestNodes.start("n2", inbox2);
        TestNodes.connectAll(t1, t2);
        int port = t2.boundAddress().getPort();
        sendUntil(t1, () -> inbox2.size() > 0, "first contact");
        long establishedBefore = t1.stats().connectionsEstablished();

        t2.close();
        Await.until(() -> !t1.stats().peers().get(N2).control().connected(), () -> "n1 noticing n2 is gone");

        Inbox inbox2b = new Inbox();
        NettyPeerTransport t2b = track(TestNodes.start("n2", port, TransportOptions.defaults(), inbox2b));
        t2b.setPeerAddress(N1, t1.boundAddress());
        sendUntil(t1, () -> inbox2b.size() > 0, "n1 reaching the restarted n2");
        t2b.send(new AppMessage(N2, N1, 3, "back".getBytes()));
        inbox1.awaitAtLeast(1, "the restarted n2 reaching n1");

        TransportStats stats = t1.stats();
        assertThat(stats.connectionsEstablished()).isGreaterThan(establishedBefore);
        assertThat(stats.reconnects()).isPositive();
    }

    @Test
    void aMessageForAnotherNodeIsDroppedByTheReceiver() {
        Inbox inbox2 = new Inbox();
        NettyPeerTransport t1 = track(TestNodes.start("n1", new Inbox()));
        NettyPeerTransport t2 = track(TestNodes.start("n2", inbox2));
        NodeId n3 = NodeId.of("n3");
        t1.setPeerAddress(n3, t2.boundAddress()); // a stale address map: n3's address is now n2's
        try (LogCapture log = new LogCapture(NettyPeerTransport.class)) {
            for (int i = 0; i < 50; i++) {
                t1.send(new RaftEnvelope(new HeartbeatRequest(1, N1, n3, 0, i)));
            }
            Await.until(() -> t2.stats().dropped(DropReason.WRONG_DESTINATION) == 50,
                    () -> "wrong-destination drops at n2: " + t2.stats().dropped());
            assertThat(log.lines(Level.WARN, "dropped a message for n3")).as("rate-limited warning").hasSize(1);
        }
        assertThat(inbox2.size()).isZero();
        assertThat(t2.stats().messagesReceived()).isZero();
    }

    @Test
    void unknownPeersOversizedMessagesAndSendsAfterCloseAreCountedNotThrown() {
        TransportOptions small = TransportOptions.builder().maxFrameBytes(64 << 10).controlMessageBytesMax(16 << 10)
                .bulkQueue(16, 1 << 20).build();
        NettyPeerTransport t1 = TestNodes.start("n1", 0, small, new Inbox());
        NettyPeerTransport t2 = track(TestNodes.start("n2", new Inbox()));
        t1.setPeerAddress(N2, t2.boundAddress());

        t1.send(new AppMessage(N1, NodeId.of("stranger"), 1, new byte[1]));
        t1.send(new AppMessage(N1, N1, 1, new byte[1]));
        t1.send(new AppMessage(N1, N2, 1, new byte[100 << 10]));
        assertThatThrownBy(() -> t1.send(new AppMessage(N2, N1, 1, new byte[1])))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cannot send a message from n2");
        t1.close();
        t1.close();
        t1.send(new AppMessage(N1, N2, 1, new byte[1]));

        TransportStats stats = t1.stats();
        assertThat(stats.dropped(DropReason.UNKNOWN_PEER)).isEqualTo(2);
        assertThat(stats.dropped(DropReason.OVERSIZED)).isEqualTo(1);
        assertThat(stats.dropped(DropReason.CLOSED)).isEqualTo(1);
    }

    @Test
    void aMovedPeerIsReachedAtItsNewAddress() {
        Inbox oldInbox = new Inbox();
        Inbox newInbox = new Inbox();
        NettyPeerTransport t1 = track(TestNodes.start("n1", new Inbox()));
        NettyPeerTransport oldHome = track(TestNodes.start("n2", oldInbox));
        NettyPeerTransport newHome = track(TestNodes.start("n2", newInbox));
        t1.setPeerAddress(N2, oldHome.boundAddress());
        sendUntil(t1, () -> oldInbox.size() > 0, "n2 at its old address");

        t1.setPeerAddress(N2, newHome.boundAddress());
        sendUntil(t1, () -> newInbox.size() > 0, "n2 at its new address");
        assertThat(t1.stats().peers().get(N2).address()).isEqualTo(newHome.boundAddress());
    }

    @Test
    void aRemovedPeerIsForgotten() {
        Inbox inbox2 = new Inbox();
        NettyPeerTransport t1 = track(TestNodes.start("n1", new Inbox()));
        NettyPeerTransport t2 = track(TestNodes.start("n2", inbox2));
        t1.setPeerAddress(N2, t2.boundAddress());
        sendUntil(t1, () -> inbox2.size() > 0, "n2 before removal");

        t1.removePeer(N2);
        t1.send(heartbeat(1));
        assertThat(t1.stats().dropped(DropReason.UNKNOWN_PEER)).isEqualTo(1);
        assertThat(t1.stats().peers()).doesNotContainKey(N2);
    }

    @Test
    void aFailingInboundCallbackDoesNotCostTheConnection() {
        AtomicBoolean failedOnce = new AtomicBoolean();
        Inbox inbox2 = new Inbox();
        Consumer<PeerMessage> flaky = message -> {
            if (failedOnce.compareAndSet(false, true)) {
                throw new IllegalStateException("callback bug (expected by the test)");
            }
            inbox2.accept(message);
        };
        NettyPeerTransport t1 = track(TestNodes.start("n1", new Inbox()));
        NettyPeerTransport t2 = track(TestNodes.start("n2", flaky));
        t1.setPeerAddress(N2, t2.boundAddress());
        try (LogCapture log = new LogCapture(InboundMessageHandler.class)) {
            for (int i = 0; i < 10; i++) {
                t1.send(heartbeat(i));
            }
            inbox2.awaitAtLeast(9, "messages after the failing one");
            assertThat(log.lines(Level.ERROR, "inbound callback failed")).hasSize(1);
        }
        assertThat(t1.stats().connectionsEstablished()).isEqualTo(1);
    }

    @Test
    void startFailsClearlyOnAPortInUseAndMayNotBeRepeated() {
        NettyPeerTransport t1 = track(TestNodes.start("n1", new Inbox()));
        assertThatThrownBy(t1::start).isInstanceOf(IllegalStateException.class).hasMessageContaining("already started");
        NettyPeerTransport clash = track(new NettyPeerTransport(N2, t1.boundAddress(), Map.of(),
                TransportOptions.defaults(), new Inbox()));
        assertThatThrownBy(clash::start).isInstanceOf(UncheckedIOException.class)
                .hasMessageContaining("cannot accept peer connections on " + t1.boundAddress());
    }

    @Test
    void closeStopsEveryThread() {
        NettyPeerTransport t1 = TestNodes.start("closer", new Inbox());
        NettyPeerTransport t2 = track(TestNodes.start("n2", new Inbox()));
        t1.setPeerAddress(N2, t2.boundAddress());
        t1.send(new AppMessage(NodeId.of("closer"), N2, 1, new byte[1]));
        assertThat(peerThreads("closer")).isNotEmpty();
        assertThat(peerThreads("closer")).allMatch(Thread::isDaemon);
        t1.close();
        Await.until(() -> peerThreads("closer").isEmpty(), () -> "threads still alive: " + peerThreads("closer"));
    }

    private NettyPeerTransport track(NettyPeerTransport transport) {
        transports.add(transport);
        return transport;
    }

    private static PeerMessage heartbeat(long round) {
        return new RaftEnvelope(new HeartbeatRequest(1, N1, N2, 0, round));
    }

    /** Sends heartbeats, as a leader would, until {@code arrived} holds (bounded). */
    private static void sendUntil(NettyPeerTransport from, BooleanSupplier arrived, String what) {
        long[] round = {0};
        Await.until(() -> {
            from.send(new RaftEnvelope(new HeartbeatRequest(1, from.self(), N2, 0, round[0]++)));
            return arrived.getAsBoolean();
        }, () -> what + "; sender stats " + from.stats());
    }

    private static List<PeerMessage> randomMessages(long seed, NodeId from, NodeId to, int count) {
        RandomMessages random = new RandomMessages(seed, 4096);
        List<PeerMessage> messages = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            messages.add(random.ofKind(i % RandomMessages.KINDS, from, to));
        }
        return messages;
    }

    private void assertDeliveredInOrderPerClass(List<PeerMessage> sent, List<PeerMessage> received) {
        assertThat(received).hasSameSizeAs(sent);
        for (TrafficClass trafficClass : TrafficClass.values()) {
            List<PeerMessage> sentOfClass = ofClass(sent, trafficClass);
            List<PeerMessage> receivedOfClass = ofClass(received, trafficClass);
            assertThat(receivedOfClass).hasSameSizeAs(sentOfClass);
            for (int i = 0; i < sentOfClass.size(); i++) {
                assertThat(SameMessage.difference(sentOfClass.get(i), receivedOfClass.get(i)))
                        .as("%s message %d", trafficClass, i).isNull();
            }
        }
    }

    private List<PeerMessage> ofClass(List<PeerMessage> messages, TrafficClass trafficClass) {
        long limit = TransportOptions.defaults().controlMessageBytesMax();
        return messages.stream().filter(m -> TrafficClass.of(m, codec.frameBytes(m), limit) == trafficClass).toList();
    }

    private static Set<WireType> kinds(List<PeerMessage> messages) {
        Set<WireType> kinds = EnumSet.noneOf(WireType.class);
        messages.forEach(m -> kinds.add(WireType.of(m)));
        return kinds;
    }

    private static List<Thread> peerThreads(String id) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith("raftkv-peer-" + id + "-") && t.isAlive()).toList();
    }
}
