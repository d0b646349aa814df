package io.raftkv.node;

import io.raftkv.core.ClusterConfig;
import io.raftkv.core.NodeId;
import io.raftkv.transport.PeerTransport;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the transport's peer addresses in step with the configuration in force. Members added
 * while the cluster runs bring their address in the configuration entry that adds them (thesis
 * §4.1: a server learns the configuration from its log), so every server, and a new one receiving
 * the log or a snapshot, learns where they are. An address set on this node (the {@code --peers}
 * of a founding member, or an explicit override) wins over the replicated one: it says how this
 * node reaches a member, which a proxy or NAT may make different from what that member announced.
 * A joining node's peers are not such a setting: they are the replicated addresses as they were
 * when it joined, so the configuration replaces them (a member removed and added again at another
 * address must be reached there).
 *
 * <p>A server that leaves the configuration keeps its address: it may still need answers, as a
 * leader removing itself does until its followers' acknowledgements commit the change (thesis
 * §4.2.2), and the transport connects only when there is something to send, so an address nobody
 * sends to costs nothing. Used on the Raft loop thread only.
 */
final class PeerAddressBook {
    private static final Logger log = LoggerFactory.getLogger(PeerAddressBook.class);

    private final NodeId self;
    private final PeerTransport transport;
    private final Map<NodeId, InetSocketAddress> local;
    /** What the transport was last told, per peer. */
    private final Map<NodeId, InetSocketAddress> applied = new HashMap<>();
    private ClusterConfig lastConfig;

    PeerAddressBook(NodeConfig config, PeerTransport transport) {
        this.self = config.id();
        this.transport = transport;
        Map<NodeId, InetSocketAddress> local = new HashMap<>(config.addressOverrides());
        if (!config.joining()) {
            local.putAll(config.peers());
        }
        this.local = Map.copyOf(local);
        config.peers().forEach((peer, address) -> {
            if (!peer.equals(self)) {
                applied.put(peer, address);
            }
        });
    }

    /** Brings the transport in line with {@code config}; cheap when the configuration did not change. */
    void update(ClusterConfig config) {
        if (config == lastConfig) {
            return;
        }
        lastConfig = config;
        Map<NodeId, InetSocketAddress> wanted = new HashMap<>();
        for (NodeId member : config.members()) {
            if (member.equals(self)) {
                continue;
            }
            InetSocketAddress address = local.get(member);
            if (address == null && config.addressOf(member) != null) {
                address = parse(member, config.addressOf(member));
            }
            if (address != null) {
                wanted.put(member, address);
            } else if (applied.containsKey(member)) {
                wanted.put(member, applied.get(member)); // no newer knowledge: keep what works
            } else {
                log.warn("{}: no address known for member {}; give it with --peer-address", self, member);
            }
        }
        wanted.forEach((peer, address) -> {
            if (!address.equals(applied.get(peer))) {
                log.info("{}: reaching {} at {}", self, peer, address);
                transport.setPeerAddress(peer, address);
                applied.put(peer, address);
            }
        });
    }

    private InetSocketAddress parse(NodeId member, String address) {
        try {
            return HostPort.parse(address);
        } catch (IllegalArgumentException e) {
            log.warn("{}: member {} has an unusable address '{}': {}", self, member, address, e.getMessage());
            return null;
        }
    }
}
