package io.raftkv.sim;

import io.raftkv.core.ClusterConfig;
import io.raftkv.core.LogEntry;
import io.raftkv.core.NodeId;
import io.raftkv.core.RaftConfig;
import io.raftkv.core.RaftCore;
import io.raftkv.core.RaftRole;
import io.raftkv.core.message.RaftMessage;
import io.raftkv.lincheck.CheckResult;
import io.raftkv.lincheck.KvInput;
import io.raftkv.lincheck.KvModels;
import io.raftkv.lincheck.LinearizabilityChecker;
import io.raftkv.lincheck.Operation;
import io.raftkv.lincheck.Verdict;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * One deterministic simulated run of a raftkv cluster from one seed: nodes, network, disks,
 * clients and faults all in one thread, driven by a discrete-event scheduler. The safety checker
 * runs after every event. After {@link SimConfig#events()} events the faults heal; then a leader
 * must emerge, every acknowledged write must be applied on every member, and the client history
 * must be linearizable.
 *
 * <p>In seeds with membership changes ({@link SimConfig#membership()}) two spare servers start
 * outside the configuration and a {@link MembershipOperator} adds, promotes and removes servers and
 * transfers leadership during the fault phase. Everything it draws comes from a generator of its
 * own, seeded from the run's seed, so seeds without membership changes replay exactly as before.
 */
public final class Simulation {
    /** Simulated milliseconds per core tick, as in the node runtime. */
    static final int TICK_MILLIS = 10;

    private final SimConfig config;
    private final CoreFactory coreFactory;
    private final EventQueue events = new EventQueue();
    private final SplittableRandom random;
    private final SimNetwork network;
    private final SafetyChecker checker = new SafetyChecker();
    private final SimStats stats = new SimStats();
    private final TraceBuffer trace;
    private final List<SimNode> nodes = new ArrayList<>();
    private final Map<NodeId, SimNode> nodesById = new HashMap<>();
    private final Workload workload;
    private final Nemesis nemesis;
    /** The membership operator, or null in a seed without membership changes. */
    private final MembershipOperator operator;
    /** Events processed so far; also the history's clock, so real-time order is exact. */
    private long processed;
    /** Per node, the last term in which it was seen leading; detects new leaders for the nemesis. */
    private final long[] leaderTermSeen;
    /** Per node, its commit index when it became leader, or -1 once it committed in that term. */
    private final long[] leaderCommitSeen;

    public Simulation(SimConfig config) {
        this(config, CoreFactory.STANDARD);
    }

    public Simulation(SimConfig config, CoreFactory coreFactory) {
        this.config = config;
        this.coreFactory = coreFactory;
        this.random = new SplittableRandom(config.seed());
        this.network = new SimNetwork(random.split(), events);
        this.trace = new TraceBuffer(config.traceLength());
        // Membership choices draw from their own generator, so seeds without them replay as before.
        SplittableRandom membershipRandom = new SplittableRandom(config.seed() * 0x9E3779B97F4A7C15L + 0x3C6EF372L);
        boolean membership = config.faults() && switch (config.membership()) {
            case NEVER -> false;
            case SOME_SEEDS -> membershipRandom.nextBoolean();
            case EVERY_SEED -> true;
        };
        int spares = membership ? 2 : 0;
        this.leaderTermSeen = new long[config.nodes() + spares];
        this.leaderCommitSeen = new long[config.nodes() + spares];
        List<NodeId> ids = new ArrayList<>();
        for (int i = 1; i <= config.nodes(); i++) {
            ids.add(NodeId.of("n" + i));
        }
        ClusterConfig bootstrap = ClusterConfig.ofVoters(ids);
        for (int i = 1; i <= spares; i++) {
            ids.add(NodeId.of("n" + (config.nodes() + i))); // outside the configuration, empty logs
        }
        NodeListener listener = new Listener();
        // Batching limits vary by seed so that small batches (where an AppendEntries carries old
        // entries without the new leader's) and narrow windows get covered too.
        int[] batchChoices = {1, 2, 3, 8, 64, 512};
        int[] windowChoices = {1, 2, 8, 256};
        int maxEntriesPerAppend = batchChoices[random.nextInt(batchChoices.length)];
        int maxInflightAppends = windowChoices[random.nextInt(windowChoices.length)];
        // Pre-vote and check-quorum are user options, so both settings of each are covered.
        boolean preVote = random.nextInt(4) != 0;
        boolean checkQuorum = random.nextInt(4) != 0;
        boolean leaseReads = checkQuorum && random.nextBoolean();
        if (membership && !preVote && !checkQuorum) {
            // A removed server that never learned of its removal campaigns forever; without pre-vote
            // (thesis §9.6) or check-quorum's lease (thesis §4.2.3) nothing stops it deposing leaders.
            preVote = true;
        }
        // Snapshots: never in one seed out of five, else every few dozen entries, kept in chunks of
        // a few bytes to a megabyte so that transfers take one chunk or many.
        int[] snapshotEvery = {0, 10, 25, 60, 150};
        int[] chunkChoices = {7, 64, 512, 1 << 20};
        SimNode.SnapshotPolicy snapshotPolicy = new SimNode.SnapshotPolicy(
                snapshotEvery[random.nextInt(snapshotEvery.length)], random.nextInt(3) == 0 ? 0 : random.nextInt(20));
        int snapshotChunkBytes = chunkChoices[random.nextInt(chunkChoices.length)];
        SplittableRandom nodeRandom = random.split();
        for (NodeId id : ids) {
            RaftConfig raftConfig = RaftConfig.builder(id).electionTicks(15).heartbeatTicks(3)
                    .maxEntriesPerAppend(maxEntriesPerAppend).maxInflightAppends(maxInflightAppends)
                    .preVote(preVote).checkQuorum(checkQuorum).leaseReads(leaseReads)
                    .snapshotChunkBytes(snapshotChunkBytes).build();
            SimNode node = new SimNode(id, raftConfig, bootstrap, coreFactory, events, network, nodeRandom.split(),
                    listener, config.seed(), snapshotPolicy, stats);
            nodes.add(node);
            nodesById.put(id, node);
        }
        this.workload = new Workload(config.clients(), config.keys(), nodes, events, random.split(), () -> processed);
        this.nemesis = new Nemesis(nodes, network, events, random.split(), trace);
        // At least three voters (or all of a smaller cluster) in two seeds out of three; down to a
        // single voter in the rest, so one- and two-voter configurations are covered too.
        int minVoters = membershipRandom.nextInt(3) == 0 ? 1 : Math.min(3, config.nodes());
        this.operator = membership
                ? new MembershipOperator(nodes, events, membershipRandom.split(), trace, stats, minVoters) : null;
    }

    /** Runs the whole scenario; never throws for a protocol failure, which is reported in the result. */
    public SimResult run() {
        long startNanos = System.nanoTime();
        String violation = null;
        String property = null;
        long healedAt = -1;
        long leaderAfterHealMillis = -1;
        try {
            for (SimNode node : nodes) {
                node.start();
            }
            workload.start();
            if (config.faults()) {
                nemesis.start();
            }
            if (operator != null) {
                operator.start();
            }
            while (processed < config.events() && !events.isEmpty()) {
                processNext();
            }
            healedAt = events.now();
            nemesis.healAll();
            if (operator != null) {
                operator.stop();
            }
            workload.stopIssuing();
            long settleUntil = healedAt + config.settleMillis();
            while (!events.isEmpty() && events.now() <= settleUntil) {
                processNext();
                if (leaderAfterHealMillis < 0 && stableLeader() != null) {
                    leaderAfterHealMillis = events.now() - healedAt;
                }
            }
            checkLiveness(leaderAfterHealMillis);
            checkLinearizable();
        } catch (SafetyViolation e) {
            violation = e.getMessage();
            property = e.property();
        } catch (RuntimeException e) {
            StringBuilder where = new StringBuilder("node failure: ").append(e);
            StackTraceElement[] stack = e.getStackTrace();
            for (int i = 0; i < Math.min(8, stack.length); i++) {
                where.append("\n    at ").append(stack[i]);
            }
            violation = where.toString();
            property = "Core assertion";
        }
        long elapsedNanos = System.nanoTime() - startNanos;
        return new SimResult(config.seed(), processed, events.now(), property, violation,
                violation == null ? "" : trace.render() + stateSummary(), checker.termsWithLeader(),
                checker.globalCommit(), workload.history().size(), workload.history().completedCount(),
                nemesis.faultsInjected(), leaderAfterHealMillis, stats.snapshotsTaken, stats.snapshotsInstalled,
                stats.tornWrites, stats.leaseReads, stats.membership(), elapsedNanos);
    }

    private void processNext() {
        EventQueue.Scheduled scheduled = events.next();
        processed++;
        SimEvent event = scheduled.event();
        trace.add(scheduled.time(), event);
        if (event instanceof SimEvent.Tick tick) {
            nodesById.get(tick.node()).onTick(tick.incarnation());
        } else if (event instanceof SimEvent.Deliver deliver) {
            RaftMessage m = deliver.message();
            if (!network.isCut(m.from(), m.to())) {
                nodesById.get(m.to()).onMessage(m);
            }
        } else if (event instanceof SimEvent.DiskDone done) {
            nodesById.get(done.node()).onDiskDone(done.incarnation());
        } else if (event instanceof SimEvent.SnapshotWritten written) {
            nodesById.get(written.node()).onSnapshotWritten(written.incarnation(), written.metadata(), written.data());
        } else if (event instanceof SimEvent.ClientIssue issue) {
            workload.onIssue(issue.client());
        } else if (event instanceof SimEvent.ClientTimeout timeout) {
            workload.onTimeout(timeout.client(), timeout.opId());
        } else if (event instanceof SimEvent.NemesisStep) {
            nemesis.step();
        } else if (event instanceof SimEvent.Crash crash) {
            nemesis.crashIfStill(crash.node(), crash.incarnation());
        } else if (event instanceof SimEvent.Isolate isolate) {
            nemesis.isolateNow(isolate.node());
        } else if (event instanceof SimEvent.Restart restart) {
            nemesis.restart(restart.node());
        } else if (event instanceof SimEvent.Heal heal) {
            nemesis.heal(heal.what());
        } else if (event instanceof SimEvent.MembershipStep) {
            operator.step();
        } else {
            throw new IllegalStateException("unhandled event " + event);
        }
        for (int i = 0; i < nodes.size(); i++) {
            SimNode node = nodes.get(i);
            if (node.isUp()) {
                checker.check(node);
                RaftCore core = node.core();
                long term = core.currentTerm();
                if (core.role() == RaftRole.LEADER) {
                    if (leaderTermSeen[i] != term) {
                        leaderTermSeen[i] = term;
                        leaderCommitSeen[i] = core.log().commitIndex();
                        nemesis.onNewLeader(node);
                        if (operator != null) {
                            operator.onNewLeader(node);
                        }
                    } else if (leaderCommitSeen[i] >= 0 && core.log().commitIndex() > leaderCommitSeen[i]) {
                        leaderCommitSeen[i] = -1;
                        nemesis.onLeaderFirstCommit(node);
                    }
                }
            }
        }
        checker.checkCommitIsPermanent(nodes);
    }

    /**
     * The leader every member of its configuration follows, once it has committed an entry of its own
     * term and every member has applied all it committed; null while the cluster is not there yet.
     * Servers outside the configuration (spares never added, removed servers) are not waited for.
     */
    private SimNode stableLeader() {
        SimNode leader = null;
        for (SimNode node : nodes) {
            if (node.isUp() && node.core().role() == RaftRole.LEADER) {
                if (leader != null && node.core().currentTerm() == leader.core().currentTerm()) {
                    return null;
                }
                if (leader == null || node.core().currentTerm() > leader.core().currentTerm()) {
                    leader = node;
                }
            }
        }
        if (leader == null) {
            return null;
        }
        RaftCore core = leader.core();
        if (core.log().term(core.log().commitIndex()) != core.currentTerm()) {
            return null;
        }
        for (SimNode node : members(core.clusterConfig())) {
            if (!node.isUp() || !leader.id().equals(node.core().leaderId())
                    || node.appliedIndex() < core.log().commitIndex()) {
                return null;
            }
        }
        return leader;
    }

    /** After healing: a leader emerged, and every acknowledged write is applied on every member. */
    private void checkLiveness(long leaderAfterHealMillis) {
        SimNode leader = stableLeader();
        if (leader == null) {
            throw new SafetyViolation("Liveness", "no stable leader with all members caught up "
                    + config.settleMillis() + " ms after healing");
        }
        List<SimNode> members = members(leader.core().clusterConfig());
        for (Workload.AcknowledgedWrite write : workload.acknowledged()) {
            if (checker.committedTermAt(write.index()) != write.term()) {
                throw new SafetyViolation("Liveness", "acknowledged write op " + write.opId() + " at " + write.index()
                        + "@" + write.term() + " is not the entry committed there");
            }
            for (SimNode node : members) {
                RaftCore core = node.core();
                // Below the log's first index a snapshot holds the entry; the checker matched it to the committed one.
                boolean inLog = write.index() >= core.log().firstIndex();
                if (node.appliedIndex() < write.index() || inLog && core.log().term(write.index()) != write.term()) {
                    throw new SafetyViolation("Liveness", "acknowledged write op " + write.opId() + " at "
                            + write.index() + "@" + write.term() + " is not applied on " + node.id());
                }
            }
        }
        if (leaderAfterHealMillis < 0) {
            throw new SafetyViolation("Liveness", "no leader after healing");
        }
    }

    /** The nodes that are members (voters or learners) of {@code config}. */
    private List<SimNode> members(ClusterConfig config) {
        List<SimNode> out = new ArrayList<>();
        for (SimNode node : nodes) {
            if (config.isMember(node.id())) {
                out.add(node);
            }
        }
        return out;
    }

    /** The client history must be linearizable (Wing and Gong / Lowe search, per key). */
    private void checkLinearizable() {
        List<Operation> operations = new ArrayList<>();
        ClientHistory history = workload.history();
        for (ClientOp op : history.operations()) {
            KvInput input = switch (op.kind()) {
                case GET -> KvInput.get(op.key());
                case PUT -> KvInput.put(op.key(), op.value());
                case CAS -> KvInput.cas(op.key(), op.expected(), op.value());
            };
            ClientOp.Completion completion = history.completion(op.opId());
            if (completion == null) {
                operations.add(Operation.unknown(op.client(), input, op.call()));
            } else {
                Object output = op.kind() == ClientOp.Kind.CAS ? Boolean.valueOf(completion.output())
                        : completion.output();
                operations.add(Operation.completed(op.client(), input, output, op.call(), completion.returnTime()));
            }
        }
        CheckResult result = LinearizabilityChecker.check(KvModels.casKv(), operations, Duration.ofSeconds(60));
        if (result.verdict() == Verdict.ILLEGAL) {
            throw new SafetyViolation("Linearizability", result.explain());
        }
        if (result.verdict() != Verdict.OK) {
            throw new SafetyViolation("Linearizability", "checker gave up: " + result);
        }
    }

    private String stateSummary() {
        StringBuilder out = new StringBuilder("state at failure:\n");
        for (SimNode node : nodes) {
            out.append("  ").append(node.id()).append(": ")
                    .append(!node.isUp() ? "down" : node.core() == null ? "starting"
                            : node.core() + " " + node.core().clusterConfig()).append('\n');
        }
        out.append("  network: ").append(network.describe()).append('\n');
        return out.toString();
    }

    /** Routes node reports to the checker and the clients; the history clock is the event count. */
    private final class Listener implements NodeListener {
        @Override
        public void onSent(RaftMessage message) {
            checker.onSent(message);
        }

        @Override
        public void onApplied(NodeId node, LogEntry entry, String result) {
            checker.onApplied(node, entry);
        }

        @Override
        public void onPowerLoss(NodeId node) {
            nemesis.afterPowerLoss(node);
        }

        @Override
        public void onWriteApplied(long opId, LogEntry entry, String result) {
            workload.onWriteApplied(opId, entry, result);
        }

        @Override
        public void onReadServed(long opId, String value) {
            workload.onReadServed(opId, value);
        }

        @Override
        public void onReadFailed(long opId) {
            workload.onDefiniteFailure(opId);
        }

        @Override
        public void onWriteLost(long opId) {
            workload.onDefiniteFailure(opId);
        }
    }
}
