package io.raftkv.verify.cluster;

import io.raftkv.verify.client.RespClient;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A cluster of real server processes on this machine, each with its own data directory under the
 * run directory, talking to each other only through a {@link ProxyMesh}.
 */
public final class LocalCluster implements AutoCloseable {
    /** Every process and proxy listens on loopback only. */
    public static final String HOST = "127.0.0.1";

    private final List<ServerProcess> servers;
    private final ProxyMesh mesh;

    private LocalCluster(List<ServerProcess> servers, ProxyMesh mesh) {
        this.servers = List.copyOf(servers);
        this.mesh = mesh;
    }

    /**
     * Lays out {@code size} nodes {@code n1..nN} under {@code runDir} (data in {@code nK/}, output in
     * {@code nK.log}) with their proxies; starts nothing yet.
     */
    public static LocalCluster create(int size, Path runDir, ServerLauncher launcher) throws IOException, InterruptedException {
        List<String> ids = new ArrayList<>();
        Map<String, Integer> raftPorts = new LinkedHashMap<>();
        Map<String, Integer> clientPorts = new LinkedHashMap<>();
        List<ServerSocket> reserved = new ArrayList<>();
        try {
            for (int i = 1; i <= size; i++) {
                String id = "n" + i;
                ids.add(id);
                raftPorts.put(id, reserve(reserved));
                clientPorts.put(id, reserve(reserved));
            }
        } finally {
            for (ServerSocket socket : reserved) {
                socket.close();
            }
        }
        ProxyMesh mesh = new ProxyMesh(HOST, raftPorts);
        List<ServerProcess> servers = new ArrayList<>();
        for (String id : ids) {
            List<String> peers = new ArrayList<>();
            for (String other : ids) {
                int port = other.equals(id) ? raftPorts.get(id) : mesh.port(id, other);
                peers.add(other + "=" + HOST + ":" + port);
            }
            servers.add(new ServerProcess(id, HOST, clientPorts.get(id), raftPorts.get(id), runDir.resolve(id),
                    runDir.resolve(id + ".log"), String.join(",", peers), launcher));
        }
        return new LocalCluster(servers, mesh);
    }

    /** An ephemeral port, held open until every port is chosen so that none is handed out twice. */
    private static int reserve(List<ServerSocket> reserved) throws IOException {
        ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getByName(HOST));
        reserved.add(socket);
        return socket.getLocalPort();
    }

    public List<ServerProcess> servers() {
        return servers;
    }

    public ProxyMesh mesh() {
        return mesh;
    }

    public ServerProcess server(String id) {
        return servers.stream().filter(s -> s.id().equals(id)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no node " + id));
    }

    /** Starts every server. */
    public void startAll() throws IOException {
        for (ServerProcess server : servers) {
            server.start();
        }
    }

    /**
     * Waits until every server answers PING and one of them is a leader.
     *
     * @throws IOException naming the node and the tail of its log if that does not happen in time
     */
    public void awaitReady(Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (ServerProcess server : servers) {
            while (!answersPing(server)) {
                if (!server.isAlive()) {
                    throw new IOException(server.id() + " exited while starting; its log ends:\n" + server.logTail(30));
                }
                if (System.nanoTime() > deadline) {
                    throw new IOException(server.id() + " did not answer PING within " + timeout + "; its log ends:\n"
                            + server.logTail(30));
                }
                Thread.sleep(100);
            }
        }
        while (leader().isEmpty()) {
            if (System.nanoTime() > deadline) {
                throw new IOException("no leader within " + timeout);
            }
            Thread.sleep(100);
        }
    }

    private static boolean answersPing(ServerProcess server) {
        try (RespClient client = new RespClient(server.clientAddress(), 1_000)) {
            return "PONG".equals(client.call("PING"));
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /**
     * The node that says it is the leader in the highest term, if any answers. Two nodes may both
     * claim leadership for a while (an old leader behind a partition); the higher term wins.
     */
    public Optional<ServerProcess> leader() {
        ServerProcess best = null;
        long bestTerm = -1;
        for (ServerProcess server : servers) {
            Map<String, String> info = server.raftInfo(500);
            if (!"leader".equals(info.get("raft_role"))) {
                continue;
            }
            long term = Long.parseLong(info.getOrDefault("raft_term", "0"));
            if (term > bestTerm) {
                best = server;
                bestTerm = term;
            }
        }
        return Optional.ofNullable(best);
    }

    /** Kills every server (kill -9) and closes the proxies. */
    @Override
    public void close() {
        for (ServerProcess server : servers) {
            server.kill();
        }
        mesh.close();
    }
}
