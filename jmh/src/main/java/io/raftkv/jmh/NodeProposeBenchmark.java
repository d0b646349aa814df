package io.raftkv.jmh;

import io.raftkv.core.NodeId;
import io.raftkv.core.RaftRole;
import io.raftkv.node.NodeConfig;
import io.raftkv.node.RaftNode;
import io.raftkv.node.StateMachine;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
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
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One proposal at a time through {@link RaftNode#propose} on the leader of a real 3-node cluster
 * in this JVM (loopback TCP, WAL with fsync in a temporary directory): the latency of the consensus
 * path alone, without the Redis protocol or the key-value store, sampled for percentiles. The
 * tick is a parameter because the tail of this latency depends on it.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 3, time = 5)
@Fork(1)
public class NodeProposeBenchmark {
    @Param({"10", "1"})
    public int tickMillis;

    private final List<RaftNode> nodes = new ArrayList<>();
    private Path root;
    private RaftNode leader;
    private final byte[] command = new byte[100];

    /** Applies nothing and keeps nothing: the benchmark measures consensus, not a state machine. */
    private static final class NullStateMachine implements StateMachine {
        @Override
        public byte[] apply(long index, byte[] command) {
            return new byte[0];
        }

        @Override
        public Snapshot snapshot() {
            return out -> { };
        }

        @Override
        public void restore(InputStream in) {
        }
    }

    @Setup(Level.Trial)
    public void start() throws Exception {
        root = Files.createTempDirectory("raftkv-jmh-node");
        Map<NodeId, InetSocketAddress> peers = new LinkedHashMap<>();
        for (int i = 1; i <= 3; i++) {
            try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
                peers.put(NodeId.of("n" + i), new InetSocketAddress("127.0.0.1", socket.getLocalPort()));
            }
        }
        for (NodeId id : peers.keySet()) {
            NodeConfig config = NodeConfig.builder(id, root.resolve(id.value()), peers.get(id), peers)
                    .tickInterval(Duration.ofMillis(tickMillis)).electionTicks(150 / tickMillis)
                    .heartbeatTicks(Math.max(1, 30 / tickMillis)).build();
            nodes.add(RaftNode.start(config, new NullStateMachine()));
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (leader == null) {
            for (RaftNode node : nodes) {
                if (node.status().role() == RaftRole.LEADER) {
                    leader = node;
                }
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("no leader within 30 s");
            }
            Thread.sleep(20);
        }
        leader.propose(command).get(10, TimeUnit.SECONDS);
    }

    @Benchmark
    public byte[] proposeOne() throws Exception {
        return leader.propose(command).get(10, TimeUnit.SECONDS);
    }

    @TearDown(Level.Trial)
    public void stop() throws IOException {
        nodes.forEach(RaftNode::close);
        try (Stream<Path> files = Files.walk(root)) {
            for (Path path : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
