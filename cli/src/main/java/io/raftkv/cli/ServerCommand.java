package io.raftkv.cli;

import io.raftkv.core.NodeId;
import io.raftkv.kv.KvBackend;
import io.raftkv.kv.KvStateMachine;
import io.raftkv.kv.ReadMode;
import io.raftkv.kv.raft.RaftKvBackend;
import io.raftkv.kv.resp.RespServer;
import io.raftkv.kv.resp.RespServerConfig;
import io.raftkv.node.NodeConfig;
import io.raftkv.node.RaftNode;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
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
 * {@code data-dir}, {@code raft-addr}, {@code client-addr}, {@code peers}); flags win.
 */
@Command(name = "server", mixinStandardHelpOptions = true,
        description = "Run one raftkv node: Raft over TCP with its peers, the key-value store over the Redis protocol.")
final class ServerCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Option(names = "--config", paramLabel = "FILE", description = "A properties file with the keys below.")
    private Path configFile;

    @Option(names = "--id", paramLabel = "ID", description = "This node's id, one of --peers.")
    private String id;

    @Option(names = "--data-dir", paramLabel = "DIR", description = "Where the log and snapshots live.")
    private Path dataDir;

    @Option(names = "--raft-addr", paramLabel = "HOST:PORT", description = "Address to listen on for peers.")
    private String raftAddr;

    @Option(names = "--client-addr", paramLabel = "HOST:PORT", description = "Address to serve clients (Redis protocol).")
    private String clientAddr;

    @Option(names = "--peers", paramLabel = "ID=HOST:PORT,...",
            description = "Every initial member with its Raft address, this node included.")
    private String peers;

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
        Map<NodeId, InetSocketAddress> members = parsePeers(pick(peers, file, "peers"));
        NodeId self;
        try {
            self = NodeId.of(nodeId);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--id: " + e.getMessage());
        }
        if (!members.containsKey(self)) {
            throw new ParameterException(spec.commandLine(), "--peers must include this node (" + self + ")");
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
        NodeConfig config = NodeConfig.builder(self, dir, raft, members).leaseReads(lease).build();
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

    private Map<NodeId, InetSocketAddress> parsePeers(String text) {
        Map<NodeId, InetSocketAddress> members = new LinkedHashMap<>();
        for (String part : text.split(",")) {
            int eq = part.indexOf('=');
            if (eq <= 0) {
                throw new ParameterException(spec.commandLine(), "--peers entries must be ID=HOST:PORT, not '" + part + "'");
            }
            NodeId peer;
            try {
                peer = NodeId.of(part.substring(0, eq).trim());
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), "--peers: " + e.getMessage());
            }
            if (members.put(peer, address(part.substring(eq + 1).trim(), "--peers " + peer)) != null) {
                throw new ParameterException(spec.commandLine(), "--peers lists " + peer + " twice");
            }
        }
        return members;
    }
}
