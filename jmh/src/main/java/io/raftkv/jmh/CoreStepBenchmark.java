package io.raftkv.jmh;

import io.raftkv.core.ClusterConfig;
import io.raftkv.core.InitialState;
import io.raftkv.core.LocalSnapshot;
import io.raftkv.core.NodeId;
import io.raftkv.core.ProposeResult;
import io.raftkv.core.RaftConfig;
import io.raftkv.core.RaftCore;
import io.raftkv.core.RaftRole;
import io.raftkv.core.Ready;
import io.raftkv.core.message.AppendEntriesResponse;
import io.raftkv.core.message.RaftMessage;
import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The consensus core's work per replicated command at the leader of a 3-node cluster, in memory:
 * {@code propose}, take and advance the Ready (entries to persist, AppendEntries to send), step the
 * two followers' AppendEntriesResponses, take and advance the Ready that commits the entry. The
 * followers are real cores only while electing the leader in {@link #elect()}; afterwards their
 * responses are built directly, so the figure is the leader's cost alone. The log is compacted
 * behind a registered (stand-in) snapshot every 50,000 commands, as a server does, so memory stays flat.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class CoreStepBenchmark {
    private static final long COMPACT_EVERY = 50_000;
    private static final NodeId N1 = NodeId.of("n1");
    private static final NodeId N2 = NodeId.of("n2");
    private static final NodeId N3 = NodeId.of("n3");

    private RaftCore leader;
    private final byte[] command = new byte[100];
    private long term;
    private long lastCompacted;

    @Setup
    public void elect() {
        ClusterConfig members = ClusterConfig.ofVoters(List.of(N1, N2, N3));
        Map<NodeId, RaftCore> cores = new LinkedHashMap<>();
        long seed = 1;
        for (NodeId id : members.members()) {
            cores.put(id, new RaftCore(RaftConfig.builder(id).build(), new SplittableRandom(seed++),
                    InitialState.fresh(members)));
        }
        leader = cores.get(N1);
        for (int tick = 0; tick < 10_000 && leader.role() != RaftRole.LEADER; tick++) {
            leader.tick();
            deliverAll(cores);
        }
        for (int round = 0; round < 10; round++) {
            cores.values().forEach(RaftCore::tick);
            deliverAll(cores);
        }
        if (leader.role() != RaftRole.LEADER) {
            throw new IllegalStateException("n1 did not become leader: " + leader);
        }
        term = leader.currentTerm();
    }

    /** Carries out every Ready in memory (persisting is a no-op) until no core has anything to send. */
    private static void deliverAll(Map<NodeId, RaftCore> cores) {
        ArrayDeque<RaftMessage> network = new ArrayDeque<>();
        do {
            while (!network.isEmpty()) {
                RaftMessage message = network.poll();
                cores.get(message.to()).step(message);
            }
            for (RaftCore core : cores.values()) {
                while (core.hasReady()) {
                    Ready ready = core.ready();
                    network.addAll(ready.messages());
                    network.addAll(ready.messagesAfterPersist());
                    core.advance(ready);
                }
            }
        } while (!network.isEmpty());
    }

    @Benchmark
    public long proposeReplicateCommit() {
        ProposeResult result = leader.propose(command);
        if (!(result instanceof ProposeResult.Accepted accepted)) {
            throw new IllegalStateException("not leader any more: " + result);
        }
        long index = accepted.index();
        drain();
        leader.step(AppendEntriesResponse.accepted(term, N2, N1, index));
        leader.step(AppendEntriesResponse.accepted(term, N3, N1, index));
        long committed = drain();
        if (committed > 0 && committed - lastCompacted >= COMPACT_EVERY) {
            leader.snapshotSaved(new LocalSnapshot(leader.snapshotMetadataAt(committed), 1,
                    (offset, maxBytes) -> new byte[0]));
            leader.compactLog(committed);
            lastCompacted = committed;
        }
        return committed;
    }

    /** Takes and advances every Ready; returns the last committed index handed out. */
    private long drain() {
        long committed = 0;
        while (leader.hasReady()) {
            Ready ready = leader.ready();
            committed = Math.max(committed, ready.lastCommittedIndex());
            leader.advance(ready);
        }
        return committed;
    }
}
