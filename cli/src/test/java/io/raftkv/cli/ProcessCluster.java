package io.raftkv.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import redis.clients.jedis.Jedis;

/**
 * A cluster of {@link ServerProcess}es on 127.0.0.1 with ports the OS handed out, each node with its
 * own data directory and log file under one temporary directory.
 */
final class ProcessCluster implements AutoCloseable {
    /** Generous: the machine is small and often busy with parallel builds. */
    static final Duration LEADER_TIMEOUT = Duration.ofSeconds(30);
    static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    static final Duration INFO_TIMEOUT = Duration.ofSeconds(3);

    final Path root;
    /** The members: the nodes leader agreement, endpoints and status are about. */
    private final List<ServerProcess> nodes;
    /** Nodes removed from the cluster that may still run; killed on close. */
    private final List<ServerProcess> retired = new ArrayList<>();

    /** The clusters of the running test class, whose logs {@link LogsOnFailure} prints. */
    static final List<ProcessCluster> OF_THIS_CLASS = new java.util.concurrent.CopyOnWriteArrayList<>();

    private ProcessCluster(Path root, List<ServerProcess> nodes) {
        this.root = root;
        this.nodes = new java.util.concurrent.CopyOnWriteArrayList<>(nodes);
        OF_THIS_CLASS.add(this);
    }

    /** Creates (without starting) a cluster of {@code size} nodes n1..nN under {@code root}. */
    static ProcessCluster create(Path root, int size) {
        int[] ports = freePorts(2 * size);
        StringBuilder peers = new StringBuilder();
        for (int i = 0; i < size; i++) {
            peers.append(i > 0 ? "," : "").append("n").append(i + 1).append('=').append(ServerProcess.HOST).append(':')
                    .append(ports[size + i]);
        }
        List<ServerProcess> nodes = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            String id = "n" + (i + 1);
            nodes.add(new ServerProcess(id, ports[i], ports[size + i], root.resolve(id), root.resolve(id + ".log"),
                    peers.toString()));
        }
        return new ProcessCluster(root, nodes);
    }

    /** Creates, starts and waits for a stable leader. */
    static ProcessCluster started(Path root, int size) {
        ProcessCluster cluster = create(root, size);
        try {
            cluster.startAll();
            cluster.awaitLeader();
            return cluster;
        } catch (RuntimeException | Error e) {
            cluster.close();
            throw e;
        }
    }

    /** {@code count} distinct ports that were free a moment ago (held together so they differ). */
    static int[] freePorts(int count) {
        List<ServerSocket> sockets = new ArrayList<>();
        try {
            int[] ports = new int[count];
            for (int i = 0; i < count; i++) {
                ServerSocket socket = new ServerSocket(0, 50, InetAddress.getByName(ServerProcess.HOST));
                sockets.add(socket);
                ports[i] = socket.getLocalPort();
            }
            return ports;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            for (ServerSocket socket : sockets) {
                try {
                    socket.close();
                } catch (IOException ignored) {
                    // nothing to do
                }
            }
        }
    }

    /** The client addresses, comma-separated, as {@code raftkv cluster status --endpoints} takes them. */
    String endpoints() {
        return nodes.stream().map(ServerProcess::clientAddress).collect(Collectors.joining(","));
    }

    List<ServerProcess> nodes() {
        return nodes;
    }

    ServerProcess node(String id) {
        return nodes.stream().filter(n -> n.id.equals(id)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no node " + id));
    }

    List<ServerProcess> running() {
        return nodes.stream().filter(ServerProcess::isRunning).toList();
    }

    List<ServerProcess> others(ServerProcess node) {
        return nodes.stream().filter(n -> n != node).toList();
    }

    /**
     * Starts a new server {@code id} with {@code raftkv server --join} (the client addresses of the
     * running members) and {@code extraArgs}, counts it as a member and waits until it serves.
     */
    ServerProcess join(String id, String... extraArgs) {
        return joinAt(id, freePorts(1)[0], extraArgs);
    }

    /** {@link #join} with the Raft port given. */
    ServerProcess joinAt(String id, int raftPort, String... extraArgs) {
        int clientPort = freePorts(1)[0];
        while (clientPort == raftPort) {
            clientPort = freePorts(1)[0];
        }
        List<String> args = new ArrayList<>(List.of("--join",
                running().stream().map(ServerProcess::clientAddress).collect(Collectors.joining(","))));
        args.addAll(List.of(extraArgs));
        ServerProcess node = new ServerProcess(id, clientPort, raftPort, root.resolve(id), root.resolve(id + ".log"),
                args);
        nodes.add(node);
        node.start();
        node.awaitReady(START_TIMEOUT);
        return node;
    }

    /** Stops counting {@code node} as a member (it was removed); it may keep running until close. */
    void retire(ServerProcess node) {
        nodes.remove(node);
        retired.add(node);
    }

    void startAll() {
        nodes.forEach(ServerProcess::start);
        nodes.forEach(n -> n.awaitReady(START_TIMEOUT));
    }

    ServerProcess awaitLeader() {
        return awaitLeader(LEADER_TIMEOUT);
    }

    /**
     * Waits until every running node names the same leader in the same term, the leader says it is
     * leader, twice in a row 100 ms apart; returns it.
     */
    ServerProcess awaitLeader(Duration timeout) {
        AtomicReference<ServerProcess> found = new AtomicReference<>();
        AtomicReference<String> previous = new AtomicReference<>();
        Await.until("the running nodes " + running() + " agree on one leader", timeout, () -> {
            String agreed = agreedLeader();
            if (agreed == null) {
                previous.set(null);
                return false;
            }
            if (agreed.equals(previous.get())) {
                found.set(node(agreed.substring(0, agreed.indexOf('@'))));
                return true;
            }
            previous.set(agreed);
            Await.sleep(100);
            return false;
        }, this::describe);
        return found.get();
    }

    /** "id@term" if every running node agrees on the leader and it is one of them, else null. */
    private String agreedLeader() {
        List<ServerProcess> running = running();
        if (running.isEmpty()) {
            return null;
        }
        String leader = null;
        String term = null;
        for (ServerProcess node : running) {
            Map<String, String> info = node.tryInfo(INFO_TIMEOUT);
            String id = info.get("raft_leader_id");
            String t = info.get("raft_term");
            if (id == null || id.isEmpty() || t == null) {
                return null;
            }
            if (leader == null) {
                leader = id;
                term = t;
            } else if (!leader.equals(id) || !term.equals(t)) {
                return null;
            }
            if (node.id.equals(id) && !"leader".equals(info.get("raft_role"))) {
                return null;
            }
        }
        String leaderId = leader;
        boolean leaderRunning = running.stream().anyMatch(n -> n.id.equals(leaderId));
        return leaderRunning ? leader + "@" + term : null;
    }

    /** Waits until {@code node}'s applied index reaches {@code index}. */
    void awaitApplied(ServerProcess node, long index, Duration timeout) {
        Await.until(node.id + " applied index reaches " + index, timeout, () -> {
            String applied = node.tryInfo(INFO_TIMEOUT).get("raft_applied_index");
            return applied != null && Long.parseLong(applied) >= index;
        }, this::describe);
    }

    /** One line per node: its role, term, leader and indexes as INFO tells, or why it did not answer. */
    String describe() {
        return "endpoints " + endpoints() + "\n" + nodes.stream().map(n -> {
            if (!n.isAlive()) {
                return n + ": not running";
            }
            if (n.isPaused()) {
                return n + ": paused";
            }
            try {
                Map<String, String> info = n.info(INFO_TIMEOUT);
                return n + ": role=" + info.get("raft_role") + " term=" + info.get("raft_term") + " leader="
                        + info.get("raft_leader_id") + " commit=" + info.get("raft_commit_index") + " applied="
                        + info.get("raft_applied_index") + " last=" + info.get("raft_last_index")
                        + (info.containsKey("raft_failure") ? " FAILURE=" + info.get("raft_failure") : "");
            } catch (RuntimeException e) {
                return n + ": INFO failed: " + e;
            }
        }).collect(Collectors.joining("\n"));
    }

    /** The tails of every node's log, for a failure message. */
    String logs(int lines) {
        return nodes.stream().map(n -> n.logTail(lines)).collect(Collectors.joining("\n"));
    }

    /** Prints the WARN and ERROR lines of the servers' logs (the first few of each node), for the record. */
    private void reportWarnings() {
        for (ServerProcess node : nodes) {
            List<String> lines = new ArrayList<>(node.logLinesContaining(" WARN "));
            lines.addAll(node.logLinesContaining(" ERROR "));
            if (!lines.isEmpty()) {
                System.out.printf("[server log] %s of %s: %d WARN/ERROR lines, first: %s%n", node.id, root, lines.size(),
                        String.join("\n    ", lines.subList(0, Math.min(5, lines.size()))));
            }
        }
    }

    /** Fails if a node halted (R-OPS-6) or ran out of memory, judging by its log. */
    void assertNoFatalLogLines() {
        List<String> fatal = new ArrayList<>();
        for (ServerProcess node : nodes) {
            for (String needle : List.of("OutOfMemoryError", "the node stops", "ERROR ")) {
                node.logLinesContaining(needle).forEach(line -> fatal.add(node.id + ": " + line));
            }
        }
        if (!fatal.isEmpty()) {
            throw new AssertionError("server logs have fatal lines:\n" + String.join("\n", fatal));
        }
    }

    /** A write through {@code node} that must succeed soon (retrying certainly-not-applied errors). */
    void awaitWritable(ServerProcess node, Duration timeout) {
        try (Jedis jedis = node.client(Duration.ofSeconds(15))) {
            setRetrying(jedis, "writable-probe-" + node.id, "x", timeout, this::describe);
        }
    }

    /**
     * SET on {@code jedis}, retried while the answer says certainly not applied ({@code -TRYAGAIN}
     * during an election, for instance); fails on any other error or after {@code timeout}.
     */
    static void setRetrying(Jedis jedis, String key, String value, Duration timeout,
                            java.util.function.Supplier<String> state) {
        String reply = retryingNotApplied("SET " + key, timeout, () -> jedis.set(key, value), state);
        if (!"OK".equals(reply)) {
            throw new AssertionError("SET " + key + " answered " + reply);
        }
    }

    /**
     * Runs {@code action} until it does not fail with an error that says certainly not applied
     * ({@code -TRYAGAIN}, {@code -NOTLEADER}, {@code -BUSY}): what a real client does during an
     * election. Any other failure propagates; fails after {@code timeout}.
     */
    static <T> T retryingNotApplied(String what, Duration timeout, java.util.function.Supplier<T> action,
                                    java.util.function.Supplier<String> state) {
        AtomicReference<String> last = new AtomicReference<>("no attempt");
        AtomicReference<T> result = new AtomicReference<>();
        Await.until(what + " succeeds", timeout, () -> {
            try {
                result.set(action.get());
                return true;
            } catch (redis.clients.jedis.exceptions.JedisDataException e) {
                if (Outcome.of(e) != Outcome.NOT_APPLIED) {
                    throw e;
                }
                last.set(e.getMessage());
                return false;
            }
        }, () -> "last answer: " + last.get() + "\n" + state.get());
        return result.get();
    }

    @Override
    public void close() {
        RuntimeException first = null;
        List<ServerProcess> all = new ArrayList<>(nodes);
        all.addAll(retired);
        for (ServerProcess node : all) {
            try {
                node.kill();
            } catch (RuntimeException e) {
                first = first == null ? e : first;
            }
        }
        reportWarnings();
        if (first != null) {
            throw first;
        }
    }
}
