package io.raftkv.cli;

import io.raftkv.loadgen.Endpoint;
import io.raftkv.loadgen.ReadMode;
import io.raftkv.loadgen.resp.RespConnection;
import io.raftkv.loadgen.resp.RespDriver;
import io.raftkv.verify.cluster.ServerLauncher;
import io.raftkv.verify.cluster.ServerProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A local cluster of {@code raftkv server} processes for the benchmark scenarios (failover,
 * catch-up, restart): each node a separate JVM started from this process's own class path (the
 * release jar), with its data directory and log file under one root directory, ports chosen by the
 * OS. {@link #kill} is kill -9. Nodes are watched through {@code INFO raft} on their client port.
 */
final class BenchCluster implements AutoCloseable {
    static final String HOST = "127.0.0.1";
    private static final Duration INFO_TIMEOUT = Duration.ofSeconds(3);

    /** One server: its id, ports and where its data and log go. */
    record Node(String id, int clientPort, int raftPort, Path dataDir, Path logFile) {
        Endpoint endpoint() {
            return new Endpoint(HOST, clientPort);
        }
    }

    private final List<Node> nodes;
    /** The node processes; verify's {@link ServerProcess} also kills them if this JVM exits first. */
    private final Map<String, ServerProcess> servers = new LinkedHashMap<>();
    private final Map<String, RespConnection> probes = new LinkedHashMap<>();
    private final RespDriver probeDriver = new RespDriver("raftkv", ReadMode.LINEARIZABLE, INFO_TIMEOUT, 1);

    private BenchCluster(List<Node> nodes, String peers, List<String> jvmOptions, List<String> serverOptions) {
        this.nodes = List.copyOf(nodes);
        ServerLauncher launcher = ServerLauncher.ofCurrentJvm(Main.class.getName(), serverOptions)
                .withJvmOptions(jvmOptions);
        for (Node node : nodes) {
            servers.put(node.id(), new ServerProcess(node.id(), HOST, node.clientPort(), node.raftPort(), node.dataDir(),
                    node.logFile(), peers, launcher));
        }
    }

    /** Creates (without starting) {@code size} nodes n1..nN under {@code root}, with the servers' defaults. */
    static BenchCluster create(Path root, int size, String heap) throws IOException {
        return create(root, size, heap, List.of());
    }

    /** The same, with further {@code raftkv server} options for every node. */
    static BenchCluster create(Path root, int size, String heap, List<String> serverOptions) throws IOException {
        int[] ports = freePorts(2 * size);
        List<Node> nodes = new ArrayList<>();
        StringBuilder peers = new StringBuilder();
        for (int i = 0; i < size; i++) {
            String id = "n" + (i + 1);
            nodes.add(new Node(id, ports[i], ports[size + i], root.resolve(id), root.resolve(id + ".log")));
            peers.append(i > 0 ? "," : "").append(id).append('=').append(HOST).append(':').append(ports[size + i]);
        }
        Files.createDirectories(root);
        return new BenchCluster(nodes, peers.toString(),
                List.of("-Xmx" + heap, "-Xms" + heap, "-XX:+ExitOnOutOfMemoryError"), serverOptions);
    }

    List<Node> nodes() {
        return nodes;
    }

    List<Endpoint> endpoints() {
        return nodes.stream().map(Node::endpoint).toList();
    }

    List<Node> others(Node node) {
        return nodes.stream().filter(n -> !n.equals(node)).toList();
    }

    /** Starts the node's process (appending to its log file). */
    void start(Node node) throws IOException {
        servers.get(node.id()).start();
    }

    void startAll() throws IOException {
        for (Node node : nodes) {
            start(node);
        }
    }

    /** kill -9 (SIGKILL), then waits until the process is gone. */
    void kill(Node node) {
        servers.get(node.id()).kill();
    }

    /** Deletes the node's data directory (the node must be stopped): it comes back as a new, empty server. */
    void wipe(Node node) throws IOException {
        if (running(node)) {
            throw new IllegalStateException(node.id() + " is running");
        }
        if (Files.exists(node.dataDir())) {
            try (Stream<Path> paths = Files.walk(node.dataDir())) {
                for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(path);
                }
            }
        }
    }

    boolean running(Node node) {
        return servers.get(node.id()).isAlive();
    }

    /** INFO raft of the node as a map, or an empty map if it does not answer. */
    Map<String, String> info(Node node) {
        try {
            Object reply = probe(node).command("INFO", "raft").get(INFO_TIMEOUT.toMillis() + 500, TimeUnit.MILLISECONDS);
            Map<String, String> info = new LinkedHashMap<>();
            for (String line : String.valueOf(reply).split("\r?\n")) {
                int colon = line.indexOf(':');
                if (colon > 0 && !line.startsWith("#")) {
                    info.put(line.substring(0, colon), line.substring(colon + 1).trim());
                }
            }
            return info;
        } catch (Exception e) {
            return Map.of();
        }
    }

    long infoLong(Node node, String key) {
        String value = info(node).get(key);
        return value == null || value.isEmpty() ? -1 : Long.parseLong(value);
    }

    private synchronized RespConnection probe(Node node) {
        return probes.computeIfAbsent(node.id(), id -> probeDriver.connect(node.endpoint()));
    }

    /** Waits until every running node names the same leader in the same term, and that node leads. */
    Node awaitLeader(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() - deadline < 0) {
            Node leader = agreedLeader();
            if (leader != null) {
                return leader;
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException("no agreed leader within " + timeout + ": " + describe());
    }

    private Node agreedLeader() {
        String leader = null;
        String term = null;
        for (Node node : nodes) {
            if (!running(node)) {
                continue;
            }
            Map<String, String> info = info(node);
            String id = info.get("raft_leader_id");
            if (id == null || id.isEmpty() || (leader != null && (!leader.equals(id)
                    || !term.equals(info.get("raft_term"))))) {
                return null;
            }
            if (node.id().equals(id) && !"leader".equals(info.get("raft_role"))) {
                return null;
            }
            leader = id;
            term = info.get("raft_term");
        }
        String found = leader;
        return nodes.stream().filter(n -> n.id().equals(found) && running(n)).findFirst().orElse(null);
    }

    /** Waits until the node's applied index reaches {@code index}. */
    void awaitApplied(Node node, long index, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (infoLong(node, "raft_applied_index") < index) {
            if (System.nanoTime() - deadline > 0) {
                throw new IllegalStateException(node.id() + " did not apply index " + index + " within " + timeout
                        + ": " + describe());
            }
            if (!running(node)) {
                throw new IllegalStateException(node.id() + " exited; see " + node.logFile());
            }
            Thread.sleep(20);
        }
    }

    /** One line per node: role, term, leader, commit and applied index, or why it did not answer. */
    String describe() {
        return nodes.stream().map(n -> {
            if (!running(n)) {
                return n.id() + ": not running";
            }
            Map<String, String> info = info(n);
            return info.isEmpty() ? n.id() + ": no answer" : n.id() + ": " + info.get("raft_role") + " term "
                    + info.get("raft_term") + " leader " + info.get("raft_leader_id") + " commit "
                    + info.get("raft_commit_index") + " applied " + info.get("raft_applied_index") + " snapshot "
                    + info.get("raft_snapshot_index") + " last " + info.get("raft_last_index");
        }).collect(Collectors.joining("; "));
    }

    @Override
    public void close() {
        probes.values().forEach(RespConnection::close);
        servers.values().forEach(server -> server.stop(15_000)); // SIGTERM: a clean shutdown
        probeDriver.close();
    }

    private static int[] freePorts(int count) throws IOException {
        List<ServerSocket> sockets = new ArrayList<>();
        try {
            int[] ports = new int[count];
            for (int i = 0; i < count; i++) {
                ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(HOST));
                sockets.add(socket);
                ports[i] = socket.getLocalPort();
            }
            return ports;
        } finally {
            for (ServerSocket socket : sockets) {
                try {
                    socket.close();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
    }
}
