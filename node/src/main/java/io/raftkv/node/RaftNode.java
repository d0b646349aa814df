package io.raftkv.node;

import io.raftkv.core.ClusterConfig;
import io.raftkv.core.InitialState;
import io.raftkv.core.LocalSnapshot;
import io.raftkv.core.NodeId;
import io.raftkv.core.RaftConfig;
import io.raftkv.core.RaftCore;
import io.raftkv.core.SnapshotMetadata;
import io.raftkv.transport.NettyPeerTransport;
import io.raftkv.transport.PeerTransport;
import io.raftkv.transport.TransportOptions;
import java.io.IOException;
import java.io.InputStream;
import java.security.SecureRandom;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running raftkv node: the public library API for embedding consensus in a Java service.
 *
 * <pre>{@code
 * RaftNode node = RaftNode.start(NodeConfig.builder(id, dataDir, raftAddress, peers).build(), myStateMachine);
 * byte[] result = node.propose(command).get();      // applied on a majority, result from my state machine
 * node.readBarrier().get();                         // then read my state machine: linearizable
 * NodeStatus status = node.status();
 * node.close();
 * }</pre>
 *
 * <p>Threads: one Raft loop thread owns the consensus core; the write-ahead log has its writer
 * thread (group commit); one apply thread runs the state machine; one thread writes snapshots; the
 * transport has its Netty threads. Futures complete on the apply thread or the loop thread: keep
 * their continuations short and non-blocking, or continue on your own executor.
 */
public final class RaftNode implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RaftNode.class);

    /**
     * Largest command a node accepts: one entry must fit in one transport frame (16 MiB) together
     * with its AppendEntries header, and a forwarded proposal in one node-to-node message.
     */
    public static final int MAX_COMMAND_BYTES = 8 << 20;

    private final NodeConfig config;
    private final DiskStorage storage;
    private final PeerTransport transport;
    private final RaftLoop loop;
    private final Applier applier;
    private final NodeHealth health;
    private final Thread loopThread;
    private final Thread applyThread;
    private final ScheduledExecutorService timer;
    private final ExecutorService snapshotWriter;
    private final StateMachine stateMachine;
    private volatile boolean closed;

    private RaftNode(NodeConfig config, StateMachine stateMachine) throws IOException {
        this.config = config;
        this.stateMachine = stateMachine;
        String name = config.id().value();
        this.health = new NodeHealth(name);
        this.storage = DiskStorage.open(config.dataDirectory(), name);
        NodeStorage.Recovered recovered = storage.recover();
        LocalSnapshot snapshot = recovered.snapshot();
        long startIndex = 0;
        if (snapshot != null) {
            try (InputStream in = storage.openSnapshotData(snapshot.metadata())) {
                stateMachine.restore(in);
            }
            startIndex = snapshot.metadata().lastIncludedIndex();
        }
        // The voters it starts with, with the addresses this node reaches them at; the log or a
        // snapshot overrides it as soon as they hold a configuration (thesis §4.1).
        Map<NodeId, String> bootstrapVoters = new TreeMap<>();
        config.peers().forEach((peer, address) -> bootstrapVoters.put(peer, HostPort.format(address)));
        ClusterConfig bootstrap = ClusterConfig.ofVoters(bootstrapVoters);
        RaftConfig raftConfig = RaftConfig.builder(config.id()).electionTicks(config.electionTicks())
                .heartbeatTicks(config.heartbeatTicks()).leaseReads(config.leaseReads()).build();
        RaftCore core = new RaftCore(raftConfig, new SplittableRandom(new SecureRandom().nextLong()),
                new InitialState(bootstrap, snapshot, recovered.hardState(), recovered.entries()));
        PendingProposals proposals = new PendingProposals(config.maxPendingProposals(), config.maxPendingBytes());
        this.applier = new Applier(name, stateMachine, storage, proposals, health, config.snapshotEveryEntries(),
                startIndex);
        RaftLoop[] loopRef = new RaftLoop[1];
        this.transport = new NettyPeerTransport(config.id(), config.raftAddress(), config.peers(),
                TransportOptions.defaults(), message -> loopRef[0].onPeerMessage(message));
        this.loop = new RaftLoop(config, core, storage, transport, applier, proposals, health);
        loopRef[0] = loop;
        this.snapshotWriter = Executors.newSingleThreadExecutor(daemon("raft-snapshot-" + name));
        applier.setSnapshotRequester(this::takeSnapshot);
        this.loopThread = daemon("raft-loop-" + name).newThread(loop);
        this.applyThread = daemon("raft-apply-" + name).newThread(applier);
        this.timer = Executors.newSingleThreadScheduledExecutor(daemon("raft-timer-" + name));
        health.onFailure(this::close);
        log.info("{}: recovered term {}, {} log entries after snapshot {}, commit {}", name,
                recovered.hardState().currentTerm(), recovered.entries().size(), startIndex,
                recovered.hardState().commitIndex());
    }

    /** Opens the data directory, recovers, and joins the cluster. */
    public static RaftNode start(NodeConfig config, StateMachine stateMachine) throws IOException {
        RaftNode node = new RaftNode(config, stateMachine);
        node.transport.start();
        node.applyThread.start();
        node.loopThread.start();
        long tickMicros = config.tickInterval().toNanos() / 1000;
        node.timer.scheduleAtFixedRate(() -> node.loop.submitInternal(node.loop::tick), tickMicros, tickMicros,
                TimeUnit.MICROSECONDS);
        return node;
    }

    /**
     * Proposes a command; it completes with the state machine's result once the command is
     * committed and applied on this node. Works on any node: a follower forwards to the leader.
     * Fails with a {@link RaftNodeException} that says whether the command certainly was not applied.
     */
    public CompletableFuture<byte[]> propose(byte[] command) {
        if (command.length > MAX_COMMAND_BYTES) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("a command of " + command.length
                    + " bytes exceeds the maximum of " + MAX_COMMAND_BYTES + " bytes"));
        }
        return loop.propose(command);
    }

    /**
     * Changes the membership by one server (thesis §4.1): add a learner, promote a caught-up
     * learner, or remove a server (the leader included, thesis §4.2.2). Only the leader takes it;
     * elsewhere it fails with {@link RaftNodeException.NotLeader} naming the leader. Completes when
     * the change commits, or at once with {@link MembershipOutcome#ALREADY_DONE} if the committed
     * configuration already has it. A refusal that may pass later (another change pending, a
     * learner not caught up) fails with {@link RaftNodeException.Busy}; one that cannot, with
     * {@link RaftNodeException.Rejected}.
     */
    public CompletableFuture<MembershipOutcome> changeMembership(io.raftkv.core.ConfigChange change) {
        return loop.changeMembership(java.util.Objects.requireNonNull(change, "change"));
    }

    /**
     * Hands leadership to the voter {@code target} (thesis §3.10): the leader brings it up to date
     * and tells it to campaign at once, taking no commands meanwhile. Completes with the new leader
     * once this node no longer leads; fails with {@link RaftNodeException.Busy} if the target did
     * not take over within an election timeout.
     */
    public CompletableFuture<NodeId> transferLeadership(NodeId target) {
        return loop.transferLeadership(java.util.Objects.requireNonNull(target, "target"));
    }

    /**
     * A linearizable read barrier (thesis §6.4, ReadIndex): completes once this node's state machine
     * has applied everything committed before the call, as confirmed by a quorum. Read the state
     * machine after it completes.
     */
    public CompletableFuture<Long> readBarrier() {
        return loop.readIndex(false);
    }

    /**
     * A read barrier through the leader's lease when it holds one (thesis §6.4.1, R-READ-2): no
     * network round trip, but correct only while clocks drift less than the configured margin.
     * Falls back to {@link #readBarrier()} when there is no lease (a follower, a new leader, or
     * {@link NodeConfig#leaseReads()} off).
     */
    public CompletableFuture<Long> leaseReadBarrier() {
        return loop.readIndex(true);
    }

    /** Role, term, leader, indexes and per-follower progress (R-OPS-3). */
    public NodeStatus status() {
        return loop.status();
    }

    /** Tells peers where clients reach this node, for redirects and INFO. Repeated every few seconds. */
    public void advertiseClientAddress(String hostAndPort) {
        timer.scheduleAtFixedRate(() -> loop.submitInternal(() -> loop.announceClientAddress(hostAndPort)), 0, 3,
                TimeUnit.SECONDS);
    }

    /** The client address a node announced, or null. */
    public String clientAddressOf(NodeId node) {
        return loop.clientAddressOf(node);
    }

    /** Why the node stopped on its own (storage or state machine failure), or null. */
    public String failure() {
        return health.failure();
    }

    public NodeConfig config() {
        return config;
    }

    public StateMachine stateMachine() {
        return stateMachine;
    }

    private void takeSnapshot(long index, StateMachine.Snapshot view) {
        loop.submitInternal(() -> {
            SnapshotMetadata metadata = loop.beginSnapshot(index);
            if (metadata == null) {
                return;
            }
            snapshotWriter.execute(() -> {
                LocalSnapshot written = null;
                try {
                    written = storage.saveSnapshot(metadata, view);
                    log.info("{}: snapshot through index {} written", config.id(), index);
                } catch (IOException | RuntimeException e) {
                    log.warn("{}: snapshot through index {} failed; will retry later: {}", config.id(), index,
                            e.toString());
                }
                LocalSnapshot done = written;
                loop.submitInternal(() -> loop.snapshotWritten(done));
            });
        });
    }

    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        timer.shutdownNow();
        loop.stop();
        joinQuietly(loopThread);
        applier.stop();
        joinQuietly(applyThread);
        snapshotWriter.shutdownNow();
        try {
            transport.close();
        } catch (RuntimeException e) {
            log.warn("{}: closing the transport failed: {}", config.id(), e.toString());
        }
        try {
            storage.close();
        } catch (IOException e) {
            log.warn("{}: closing storage failed: {}", config.id(), e.toString());
        }
    }

    private static void joinQuietly(Thread thread) {
        if (thread == Thread.currentThread()) {
            return;
        }
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }
}
