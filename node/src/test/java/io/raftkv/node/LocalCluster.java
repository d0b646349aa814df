package io.raftkv.node;

import io.raftkv.core.NodeId;
import io.raftkv.core.RaftRole;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

/** Real nodes on 127.0.0.1 in one JVM, each with its own data directory, for integration tests. */
final class LocalCluster implements AutoCloseable {
    final Map<NodeId, InetSocketAddress> peers = new LinkedHashMap<>();
    final Map<NodeId, RaftNode> nodes = new LinkedHashMap<>();
    final Map<NodeId, ListStateMachine> machines = new LinkedHashMap<>();
    private final Path root;
    private final Consumer<NodeConfig.Builder> tuning;

    LocalCluster(Path root, int size, Consumer<NodeConfig.Builder> tuning) throws IOException {
        this.root = root;
        this.tuning = tuning;
        for (int i = 1; i <= size; i++) {
            peers.put(NodeId.of("n" + i), new InetSocketAddress("127.0.0.1", freePort()));
        }
        for (NodeId id : peers.keySet()) {
            start(id);
        }
    }

    void start(NodeId id) throws IOException {
        NodeConfig.Builder b = NodeConfig.builder(id, root.resolve(id.value()), peers.get(id), peers)
                .proposalTimeout(Duration.ofSeconds(3));
        tuning.accept(b);
        ListStateMachine machine = new ListStateMachine();
        machines.put(id, machine);
        nodes.put(id, RaftNode.start(b.build(), machine));
    }

    /**
     * Starts a new server that joins the running cluster: it knows the current voters and their
     * addresses, is not one of them, and waits to be added (thesis §4.2.1).
     */
    RaftNode startJoining(NodeId id) throws IOException {
        InetSocketAddress address = new InetSocketAddress("127.0.0.1", freePort());
        NodeConfig.Builder b = NodeConfig.builder(id, root.resolve(id.value()), address, Map.copyOf(peers))
                .joining(true).proposalTimeout(Duration.ofSeconds(3));
        tuning.accept(b);
        ListStateMachine machine = new ListStateMachine();
        machines.put(id, machine);
        RaftNode node = RaftNode.start(b.build(), machine);
        nodes.put(id, node);
        return node;
    }

    void stop(NodeId id) {
        RaftNode node = nodes.remove(id);
        if (node != null) {
            node.close();
        }
    }

    /** Waits (bounded) until exactly one running node leads and every running node follows it. */
    RaftNode awaitLeader(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            RaftNode leader = null;
            int leaders = 0;
            for (RaftNode n : nodes.values()) {
                if (n.status().role() == RaftRole.LEADER) {
                    leader = n;
                    leaders++;
                }
            }
            if (leaders == 1) {
                NodeId leaderId = leader.config().id();
                boolean all = nodes.values().stream().allMatch(n -> leaderId.equals(n.status().leaderId()));
                if (all) {
                    return leader;
                }
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no stable leader within " + timeout);
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @Override
    public void close() {
        for (NodeId id : Map.copyOf(nodes).keySet()) {
            stop(id);
        }
    }
}
