package io.raftkv.cli;

import io.raftkv.core.NodeId;
import io.raftkv.kv.KvBackend;
import io.raftkv.kv.KvStateMachine;
import io.raftkv.kv.ReadMode;
import io.raftkv.kv.raft.RaftKvBackend;
import io.raftkv.kv.resp.RespServer;
import io.raftkv.kv.resp.RespServerConfig;
import io.raftkv.node.HostPort;
import io.raftkv.node.NodeConfig;
import io.raftkv.node.RaftNode;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code raftkv server}: one node of a cluster, serving the key-value store over the Redis
 * protocol. Options come from flags or a properties file with the same keys ({@code id},
 * {@code data-dir}, {@code raft-addr}, {@code client-addr}, {@code peers} or {@code join});
 * flags win. A node of a new cluster is started with {@code --peers}; a server joining a running
 * cluster with {@code --join} (see {@link ClusterJoin}).
 */
@Command(name = "server", mixinStandardHelpOptions = true,
        description = "Run one raftkv node: Raft over TCP with its peers, the key-value store over the Redis protocol.")
final class ServerCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Option(names = "--config", paramLabel = "FILE", description = "A properties file with the keys below.")
    private Path configFile;

    @Option(names = "--id", paramLabel = "ID", description = "This node's id, one of --peers (unless --join).")
    private String id;

    @Option(names = "--data-dir", paramLabel = "DIR", description = "Where the log and snapshots live.")
    private Path dataDir;

    @Option(names = "--raft-addr", paramLabel = "HOST:PORT", description = "Address to listen on for peers.")
    private String raftAddr;

    @Option(names = "--client-addr", paramLabel = "HOST:PORT", description = "Address to serve clients (Redis protocol).")
    private String clientAddr;

    @Option(names = "--peers", paramLabel = "ID=HOST:PORT,...",
            description = "Every initial member with its Raft address, this node included (a new cluster).")
    private String peers;

    @Option(names = "--join", paramLabel = "HOST:PORT,...", split = ",",
            description = {"Join a running cluster instead of --peers: the client address of any member(s).",
                    "The server is added as a learner, receives the log or a snapshot, and is promoted to voter "
                            + "once caught up. Its --raft-addr must be an address the members can dial."})
    private List<String> join;

    @Option(names = "--learner", description = "With --join: stay a learner (no vote) instead of asking to be promoted.")
    private boolean learner;

    @Option(names = "--peer-address", paramLabel = "ID=HOST:PORT",
            description = "Reach member ID at HOST:PORT instead of the address it was added with (a proxy, "
                    + "NAT or another interface). Repeatable.")
    private List<String> peerAddresses = new ArrayList<>();

    @Option(names = "--snapshot-every-entries", paramLabel = "N", defaultValue = "100000",
            description = "Take a snapshot after this many applied entries (default ${DEFAULT-VALUE}).")
    private long snapshotEveryEntries;

    @Option(names = "--read-mode", paramLabel = "linearizable|lease", defaultValue = "linearizable",
            description = "Default read mode (default ${DEFAULT-VALUE}); lease needs bounded clock drift (docs/kv.md).")
    private String readMode;

    /** Test-only: a deliberate bug, for showing that {@code raftkv verify} catches it (see {@link UnsafeFault}). */
    @Option(names = "--unsafe-fault", paramLabel = "FAULT", hidden = true)
    private String unsafeFault;

    @Override
    public Integer call() throws Exception {
        Properties file = new Properties();
        if (configFile != null) {
            try (InputStream in = Files.newInputStream(configFile)) {
                file.load(in);
            } catch (IOException e) {
                throw new ParameterException(spec.commandLine(), "cannot read --config " + configFile + ": " + e.getMessage());
            }
        }
        String nodeId = pick(id, file, "id");
        Path dir = Path.of(pick(dataDir == null ? null : dataDir.toString(), file, "data-dir"));
        InetSocketAddress raft = address(pick(raftAddr, file, "raft-addr"), "--raft-addr");
        InetSocketAddress client = address(pick(clientAddr, file, "client-addr"), "--client-addr");
        NodeId self;
        try {
            self = NodeId.of(nodeId);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--id: " + e.getMessage());
        }
        List<String> joinEndpoints = join != null ? join
                : file.getProperty("join") == null ? null : List.of(file.getProperty("join").split(","));
        String peerList = peers != null ? peers : file.getProperty("peers");
        if (joinEndpoints != null && peerList != null) {
            throw new ParameterException(spec.commandLine(), "give either --peers (a new cluster) or --join "
                    + "(a running one), not both");
        }
        if (learner && joinEndpoints == null) {
            throw new ParameterException(spec.commandLine(), "--learner goes with --join");
        }
        if (snapshotEveryEntries < 1) {
            throw new ParameterException(spec.commandLine(), "--snapshot-every-entries must be at least 1");
        }
        Map<NodeId, InetSocketAddress> overrides = parsePeerAddresses();
        Map<NodeId, InetSocketAddress> members;
        ClusterJoin joiner = null;
        ClusterJoin.State joinState = null;
        if (joinEndpoints != null) {
            String host = raft.getHostString();
            if (raft.getAddress() != null && raft.getAddress().isAnyLocalAddress()) {
                throw new ParameterException(spec.commandLine(), "with --join, --raft-addr must be an address the "
                        + "members can dial, not the wildcard " + host);
            }
            try {
                joinState = ClusterJoin.prepare(self, dir, joinEndpoints);
            } catch (IllegalStateException e) {
                System.err.println("raftkv " + self + ": cannot join: " + e.getMessage());
                return 2;
            }
            // --peer-address says how this node reaches a member (a proxy, NAT); it wins over the
            // address a member reported for it, as it wins over the replicated ones.
            members = new LinkedHashMap<>(joinState.voters());
            overrides.forEach((peer, address) -> members.computeIfPresent(peer, (id, reported) -> address));
            joiner = new ClusterJoin(self, HostPort.format(raft), dir, joinEndpoints, learner);
        } else {
            members = parsePeers(pick(peerList, file, "peers"));
            if (!members.containsKey(self)) {
                throw new ParameterException(spec.commandLine(), "--peers must include this node (" + self + ")");
            }
        }
        boolean lease = switch (readMode) {
            case "linearizable" -> false;
            case "lease" -> true;
            default -> throw new ParameterException(spec.commandLine(), "--read-mode must be linearizable or lease");
        };

        UnsafeFault fault;
        try {
            fault = unsafeFault == null ? null : UnsafeFault.ofLabel(unsafeFault);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--unsafe-fault: " + e.getMessage());
        }

        KvStateMachine stateMachine = new KvStateMachine();
        NodeConfig config = NodeConfig.builder(self, dir, raft, members).joining(joiner != null)
                .addressOverrides(overrides).snapshotEveryEntries(snapshotEveryEntries).leaseReads(lease).build();
        RaftNode node = RaftNode.start(config, stateMachine);
        String advertised = client.getHostString() + ":" + client.getPort();
        node.advertiseClientAddress(advertised);
        KvBackend backend = new RaftKvBackend(node, stateMachine);
        if (fault != null) {
            System.out.printf("raftkv %s: UNSAFE: deliberate fault %s is on; this server breaks its guarantees%n",
                    self, fault);
            backend = fault.inject(backend);
        }
        RespServer resp = new RespServer(RespServerConfig.builder().bindHost(client.getHostString())
                .port(client.getPort()).defaultReadMode(lease ? ReadMode.LEASE : ReadMode.LINEARIZABLE).build(),
                backend);
        InetSocketAddress bound = resp.start();
        System.out.printf("raftkv %s: raft %s, clients %s, data %s%n", self, raft, bound, dir.toAbsolutePath());
        System.out.flush();
        if (joiner != null) {
            ClusterJoin running = joiner;
            ClusterJoin.State state = joinState;
            Thread joining = new Thread(() -> running.run(state), "raftkv-join");
            joining.setDaemon(true);
            joining.start();
        }

        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            resp.close();
            node.close();
            stopped.countDown();
        }, "raftkv-shutdown"));
        stopped.await();
        return 0;
    }

    private String pick(String flag, Properties file, String key) {
        String value = flag != null ? flag : file.getProperty(key);
        if (value == null || value.isBlank()) {
            throw new ParameterException(spec.commandLine(), "missing --" + key + " (or '" + key + "' in --config)");
        }
        return value.trim();
    }

    private InetSocketAddress address(String hostAndPort, String option) {
        int colon = hostAndPort.lastIndexOf(':');
        if (colon <= 0 || colon == hostAndPort.length() - 1) {
            throw new ParameterException(spec.commandLine(), option + " must be HOST:PORT, not '" + hostAndPort + "'");
        }
        try {
            int port = Integer.parseInt(hostAndPort.substring(colon + 1));
            if (port < 1 || port > 65535) {
                throw new NumberFormatException();
            }
            return new InetSocketAddress(hostAndPort.substring(0, colon), port);
        } catch (NumberFormatException e) {
            throw new ParameterException(spec.commandLine(), option + ": bad port in '" + hostAndPort + "'");
        }
    }

    private Map<NodeId, InetSocketAddress> parsePeerAddresses() {
        Map<NodeId, InetSocketAddress> result = new LinkedHashMap<>();
        for (String entry : peerAddresses) {
            result.putAll(parsePeers(entry, "--peer-address"));
        }
        return result;
    }

    private Map<NodeId, InetSocketAddress> parsePeers(String text) {
        return parsePeers(text, "--peers");
    }

    private Map<NodeId, InetSocketAddress> parsePeers(String text, String option) {
        Map<NodeId, InetSocketAddress> members = new LinkedHashMap<>();
        for (String part : text.split(",")) {
            int eq = part.indexOf('=');
            if (eq <= 0) {
                throw new ParameterException(spec.commandLine(), option + " entries must be ID=HOST:PORT, not '" + part + "'");
            }
            NodeId peer;
            try {
                peer = NodeId.of(part.substring(0, eq).trim());
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), option + ": " + e.getMessage());
            }
            if (members.put(peer, address(part.substring(eq + 1).trim(), option + " " + peer)) != null) {
                throw new ParameterException(spec.commandLine(), option + " lists " + peer + " twice");
            }
        }
        return members;
    }
}
