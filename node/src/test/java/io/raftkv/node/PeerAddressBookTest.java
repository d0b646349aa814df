package io.raftkv.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.raftkv.core.ClusterConfig;
import io.raftkv.core.NodeId;
import io.raftkv.transport.PeerMessage;
import io.raftkv.transport.PeerTransport;
import io.raftkv.transport.TransportStats;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PeerAddressBookTest {
    private static final NodeId N1 = NodeId.of("n1");
    private static final NodeId N2 = NodeId.of("n2");
    private static final NodeId N3 = NodeId.of("n3");
    private static final NodeId N4 = NodeId.of("n4");

    /** Records what the address book tells the transport. */
    private static final class RecordingTransport implements PeerTransport {
        final List<String> calls = new ArrayList<>();

        @Override
        public void start() {
        }

        @Override
        public InetSocketAddress boundAddress() {
            return null;
        }

        @Override
        public void send(PeerMessage message) {
        }

        @Override
        public void setPeerAddress(NodeId peer, InetSocketAddress address) {
            calls.add("set " + peer + " " + HostPort.format(address));
        }

        @Override
        public void removePeer(NodeId peer) {
            calls.add("remove " + peer);
        }

        @Override
        public TransportStats stats() {
            return null;
        }

        @Override
        public void close() {
        }
    }

    private static InetSocketAddress local(int port) {
        return InetSocketAddress.createUnresolved("127.0.0.1", port);
    }

    @Test
    void followsTheConfigurationAndPrefersAddressesSetOnThisNode() {
        NodeConfig config = NodeConfig.builder(N1, Path.of("unused"), local(7001),
                        Map.of(N1, local(7001), N2, local(7002), N3, local(7003)))
                .addressOverrides(Map.of(N4, local(9004))).build();
        RecordingTransport transport = new RecordingTransport();
        PeerAddressBook book = new PeerAddressBook(config, transport);

        // Start-up peers are in the transport already; a replicated address does not override them.
        ClusterConfig start = ClusterConfig.ofVoters(Map.of(N1, "h1:1", N2, "h2:1", N3, "h3:1"));
        book.update(start);
        assertThat(transport.calls).isEmpty();

        // A new member with an override: the override wins over what the entry carries.
        ClusterConfig withN4 = new ClusterConfig(start.voters(), Set.of(N4), Map.of(N4, "10.1.1.4:7000"));
        book.update(withN4);
        assertThat(transport.calls).containsExactly("set n4 127.0.0.1:9004");
        book.update(withN4);
        assertThat(transport.calls).hasSize(1);

        // A new member without an override is reached at its replicated address; removed members
        // keep theirs (a leader removing itself still needs its followers' answers).
        NodeId n5 = NodeId.of("n5");
        ClusterConfig later = new ClusterConfig(Set.of(N1, N2), Set.of(n5), Map.of(n5, "10.1.1.5:7000"));
        transport.calls.clear();
        book.update(later);
        assertThat(transport.calls).containsExactly("set n5 10.1.1.5:7000");
    }

    @Test
    void aJoiningNodesStartUpPeersGiveWayToTheReplicatedAddresses() {
        NodeId n5 = NodeId.of("n5");
        NodeConfig config = NodeConfig.builder(n5, Path.of("unused"), local(7005),
                Map.of(N1, local(7001), N4, local(7004))).joining(true).build();
        RecordingTransport transport = new RecordingTransport();
        PeerAddressBook book = new PeerAddressBook(config, transport);
        // n4 was removed and added again at another port: the log says where it is now.
        book.update(new ClusterConfig(Set.of(N1, N4), Set.of(n5),
                Map.of(N1, "127.0.0.1:7001", N4, "127.0.0.1:7444", n5, "127.0.0.1:7005")));
        assertThat(transport.calls).containsExactly("set n4 127.0.0.1:7444");
    }
}
