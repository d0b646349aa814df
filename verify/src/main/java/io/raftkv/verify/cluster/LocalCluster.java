package io.raftkv.verify.cluster;

import io.raftkv.verify.client.RespClient;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * A cluster of real server processes on this machine, each with its own data directory under the
 * run directory, talking to each other only through a {@link ProxyMesh}.
 *
 * <p>Besides the initial nodes it may hold spare identities (ids after the initial ones, with
 * ports and proxies of their own but not started) for the membership nemesis to add. The mesh
 * covers every id, initial and spare, and every node is told the proxy it must use for every
 * other id ({@code --peers} for the initial ones, {@code --peer-address} for the rest), so that
 * traffic to and from nodes added later also goes through the proxies and partitions cut it too.
 */
public final class LocalCluster implements AutoCloseable {
    /** Every process and proxy listens on loopback only. */
    public static final String HOST = "127.0.0.1";

    /** Where a node stands from the verifier's point of view. */
    public enum Standing {
        /** Started as part of the cluster or added to it; clients, faults and final reads use it. */
        MEMBER,
        /** Removed from the configuration but perhaps still running (thesis §4.2.3 says it must not disrupt). */
        LEAVING,
        /** Not running, with an empty data directory: an identity the membership nemesis may add. */
        SPARE
    }

    private final List<ServerProcess> servers;
    private final ProxyMesh mesh;
    private final Map<String, Standing> standing = new ConcurrentHashMap<>();
    private final FaultBudget budget = new FaultBudget();
    private final List<String> initialIds;
    private volatile Membership lastMembership;
    private final List<String> problems = new java.util.concurrent.CopyOnWriteArrayList<>();

    private LocalCluster(List<ServerProcess> servers, ProxyMesh mesh, List<String> initialIds) {
        this.servers = List.copyOf(servers);
        this.mesh = mesh;
        this.initialIds = List.copyOf(initialIds);
        for (ServerProcess server : servers) {
            standing.put(server.id(), initialIds.contains(server.id()) ? Standing.MEMBER : Standing.SPARE);
        }
    }

    /** {@code size} nodes and no spares; see {@link #create(int, int, Path, ServerLauncher)}. */
    public static LocalCluster create(int size, Path runDir, ServerLauncher launcher) throws IOException, InterruptedException {
        return create(size, 0, runDir, launcher);
    }

    /**
     * Lays out {@code size} nodes {@code n1..nN} and {@code spares} spare identities after them under
     * {@code runDir} (data in {@code nK/}, output in {@code nK.log}) with their proxies; starts nothing yet.
     */
    public static LocalCluster create(int size, int spares, Path runDir, ServerLauncher launcher)
            throws IOException, InterruptedException {
        List<String> ids = new ArrayList<>();
        Map<String, Integer> raftPorts = new LinkedHashMap<>();
        Map<String, Integer> clientPorts = new LinkedHashMap<>();
        List<ServerSocket> reserved = new ArrayList<>();
        try {
            for (int i = 1; i <= size + spares; i++) {
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
        List<String> initial = ids.subList(0, size);
        List<ServerProcess> servers = new ArrayList<>();
        for (String id : ids) {
            List<String> clusterArgs = new ArrayList<>();
            if (initial.contains(id)) {
                List<String> peers = new ArrayList<>();
                for (String other : initial) {
                    int port = other.equals(id) ? raftPorts.get(id) : mesh.port(id, other);
                    peers.add(other + "=" + HOST + ":" + port);
                }
                clusterArgs.add("--peers");
                clusterArgs.add(String.join(",", peers));
                clusterArgs.addAll(peerAddresses(mesh, id, ids, initial::contains));
            }
            servers.add(new ServerProcess(id, HOST, clientPorts.get(id), raftPorts.get(id), runDir.resolve(id),
                    runDir.resolve(id + ".log"), clusterArgs, launcher));
        }
        return new LocalCluster(servers, mesh, initial);
    }

    /** {@code --peer-address other=proxy} for every other id not {@code skipped}. */
    private static List<String> peerAddresses(ProxyMesh mesh, String id, List<String> ids, Predicate<String> skipped) {
        List<String> args = new ArrayList<>();
        for (String other : ids) {
            if (!other.equals(id) && !skipped.test(other)) {
                args.add("--peer-address");
                args.add(other + "=" + HOST + ":" + mesh.port(id, other));
            }
        }
        return args;
    }

    /** An ephemeral port, held open until every port is chosen so that none is handed out twice. */
    private static int reserve(List<ServerSocket> reserved) throws IOException {
        ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getByName(HOST));
        reserved.add(socket);
        return socket.getLocalPort();
    }

    /** Every server, members and spares. */
    public List<ServerProcess> servers() {
        return servers;
    }

    /** The servers standing as members: clients, faults and the final reads use these. */
    public List<ServerProcess> members() {
        return servers.stream().filter(s -> standing.get(s.id()) == Standing.MEMBER).toList();
    }

    /** The spare identities: not running, no data. */
    public List<ServerProcess> spares() {
        return servers.stream().filter(s -> standing.get(s.id()) == Standing.SPARE).toList();
    }

    public Standing standing(String id) {
        return standing.get(id);
    }

    /** Records where a node stands now (the membership nemesis moves nodes between these). */
    public void setStanding(String id, Standing now) {
        server(id);
        standing.put(id, now);
    }

    public ProxyMesh mesh() {
        return mesh;
    }

    /** Claims of the nemeses running now on the nodes they take away. */
    public FaultBudget budget() {
        return budget;
    }

    public ServerProcess server(String id) {
        return servers.stream().filter(s -> s.id().equals(id)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no node " + id));
    }

    /**
     * The arguments that make {@code id} join the running cluster as a new server: {@code --join}
     * with the client addresses of {@code endpoints}, and the proxy to use for every other id, since
     * a joining server has no {@code --peers} and would otherwise dial members directly.
     */
    public List<String> joinArgs(String id, List<ServerProcess> endpoints) {
        List<String> args = new ArrayList<>();
        args.add("--join");
        args.add(String.join(",", endpoints.stream().map(ServerProcess::clientAddress).toList()));
        args.addAll(peerAddresses(mesh, id, servers.stream().map(ServerProcess::id).toList(), other -> false));
        return args;
    }

    /** Starts every member. */
    public void startAll() throws IOException {
        for (ServerProcess server : members()) {
            server.start();
        }
    }

    /**
     * Waits until every member answers PING and one of them is a leader.
     *
     * @throws IOException naming the node and the tail of its log if that does not happen in time
     */
    public void awaitReady(Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (ServerProcess server : members()) {
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
     * The member that says it is the leader in the highest term, if any answers. Two nodes may both
     * claim leadership for a while (an old leader behind a partition); the higher term wins.
     */
    public Optional<ServerProcess> leader() {
        return leaderInfo().map(info -> server(info.getKey()));
    }

    /**
     * The configuration as the current leader reports it, if a leader answers; also remembered
     * for {@link #lastMembership()}.
     */
    public Optional<Membership> membership() {
        Optional<Membership> now = leaderInfo().map(info -> Membership.fromInfo(info.getValue()));
        now.ifPresent(m -> lastMembership = m);
        return now;
    }

    /**
     * The voters the last answering leader reported, or the initial nodes if none has yet: what
     * faults size themselves by while an election runs.
     */
    public List<String> lastVoters() {
        Membership last = lastMembership;
        return last != null ? last.voters() : initialIds;
    }

    /** Members that are not running or are paused now. */
    public Set<String> down() {
        Set<String> down = new HashSet<>();
        for (ServerProcess server : members()) {
            if (!server.isAlive() || server.isPaused()) {
                down.add(server.id());
            }
        }
        return down;
    }

    private Optional<Map.Entry<String, Map<String, String>>> leaderInfo() {
        Map.Entry<String, Map<String, String>> best = null;
        long bestTerm = -1;
        for (ServerProcess server : members()) {
            Map<String, String> info = server.raftInfo(500);
            if (!"leader".equals(info.get("raft_role"))) {
                continue;
            }
            long term = Long.parseLong(info.getOrDefault("raft_term", "0"));
            if (term > bestTerm) {
                best = Map.entry(server.id(), info);
                bestTerm = term;
            }
        }
        return Optional.ofNullable(best);
    }

    /**
     * Records something that makes the run invalid whatever the history says, e.g. a server that
     * exited on its own before a nemesis stopped it on purpose.
     */
    public void reportProblem(String problem) {
        problems.add(problem);
    }

    /** What {@link #reportProblem} recorded. */
    public List<String> problems() {
        return List.copyOf(problems);
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
