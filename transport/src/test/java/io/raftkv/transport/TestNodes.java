package io.raftkv.transport;

import io.raftkv.core.NodeId;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.Map;
import java.util.function.Consumer;

/** Transports on the loopback interface for the real-network tests. */
final class TestNodes {
    static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    private TestNodes() {}

    static NettyPeerTransport start(String id, Consumer<PeerMessage> inbound) {
        return start(id, 0, TransportOptions.defaults(), inbound);
    }

    static NettyPeerTransport start(String id, int port, TransportOptions options, Consumer<PeerMessage> inbound) {
        NettyPeerTransport transport = new NettyPeerTransport(NodeId.of(id), new InetSocketAddress(LOOPBACK, port),
                Map.of(), options, inbound);
        transport.start();
        return transport;
    }

    /** A port on the loopback interface that was free a moment ago. */
    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, LOOPBACK)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Tells every transport where every other one is. */
    static void connectAll(NettyPeerTransport... transports) {
        for (NettyPeerTransport from : transports) {
            for (NettyPeerTransport to : transports) {
                if (from != to) {
                    from.setPeerAddress(idOf(to), to.boundAddress());
                }
            }
        }
    }

    static NodeId idOf(NettyPeerTransport transport) {
        return transport.self();
    }
}
