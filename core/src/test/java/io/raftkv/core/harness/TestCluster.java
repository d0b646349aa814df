package io.raftkv.core.harness;

import static org.assertj.core.api.Assertions.assertThat;

import io.raftkv.core.ClusterConfig;
import io.raftkv.core.ConfigChange;
import io.raftkv.core.LogEntry;
import io.raftkv.core.NodeId;
import io.raftkv.core.ProposeResult;
import io.raftkv.core.RaftCore;
import io.raftkv.core.RaftRole;
import io.raftkv.core.SnapshotMetadata;
import io.raftkv.core.TransferResult;
import io.raftkv.core.message.RaftMessage;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;

/**
 * A cluster of {@link TestNode}s on a simulated {@link Network}, in logical time only: no threads,
 * no clock, no sleeps. Every delivered message and every tick is followed by the
 * {@link SafetyChecker}; every tick of {@link #runTicks} also checks Log Matching.
 *
 * <pre>
 * TestCluster c = TestCluster.builder().voters("n1", "n2", "n3").seed(7).build();
 * String leader = c.awaitLeader(200);
 * c.propose(leader, "x");
 * c.stabilize();
 * </pre>
 */
public final class TestCluster {
    /** Deliveries one {@link #stabilize()} may make before the test fails: a livelock is a bug. */
    private static final int MAX_DELIVERIES = 200_000;

    private final Map<NodeId, TestNode> nodes = new LinkedHashMap<>();
    private final Network network;
    private final SafetyChecker checker = new SafetyChecker();
    private final SplittableRandom random;
    private long ticks;
    private long deliveries;

    private TestCluster(Builder b) {
        this.network = new Network(b.seed);
        this.random = new SplittableRandom(b.seed ^ 0x5DEECE66DL);
        int i = 0;
        List<String> all = new ArrayList<>(b.voters);
        all.addAll(b.spares);
        for (String id : all) {
            NodeState s = b.states.getOrDefault(id, new NodeState(-1, null, 0, new long[0]));
            TestNode.Builder nb = TestNode.builder(id).voters(b.voters).preVote(b.preVote).checkQuorum(b.checkQuorum).leaseReads(b.leaseReads)
                    .electionTicks(b.electionTicks).heartbeatTicks(b.heartbeatTicks)
                    .maxEntriesPerAppend(b.maxEntriesPerAppend).maxInflightAppends(b.maxInflightAppends)
                    .snapshotChunkBytes(b.snapshotChunkBytes)
                    .seed(b.seed * 101 + i++).coreFactory(b.factory)
                    .term(s.term()).votedFor(s.votedFor()).commitIndex(s.commitIndex()).log(s.logTerms())
                    .onApply(checker::onApply);
            TestNode node = nb.build();
            nodes.put(node.id(), node);
            afterEvent(node);
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    // ---------------------------------------------------------------------------------------------
    // Nodes
    // ---------------------------------------------------------------------------------------------

    public TestNode node(String id) {
        TestNode node = nodes.get(NodeId.of(id));
        if (node == null) {
            throw new IllegalArgumentException("no node " + id);
        }
        return node;
    }

    public RaftCore core(String id) {
        return node(id).core();
    }

    public List<String> ids() {
        return nodes.keySet().stream().map(NodeId::value).toList();
    }

    public Collection<TestNode> nodes() {
        return nodes.values();
    }

    private List<TestNode> upNodes() {
        return nodes.values().stream().filter(TestNode::isUp).toList();
    }

    public Network network() {
        return network;
    }

    public SafetyChecker checker() {
        return checker;
    }

    /** The cluster's seeded random, for tests that choose victims or workloads at random. */
    public SplittableRandom random() {
        return random;
    }

    public long ticks() {
        return ticks;
    }

    // ---------------------------------------------------------------------------------------------
    // Time
    // ---------------------------------------------------------------------------------------------

    /** Ticks one node {@code n} times; its messages go into the network undelivered. */
    public void tick(String id, int n) {
        TestNode node = node(id);
        for (int i = 0; i < n; i++) {
            node.tick();
            afterEvent(node);
        }
    }

    /** {@code n} rounds in which every running node ticks once; nothing is delivered. */
    public void tickAll(int n) {
        for (int i = 0; i < n; i++) {
            for (TestNode node : upNodes()) {
                node.tick();
                afterEvent(node);
            }
            ticks++;
        }
    }

    /**
     * {@code n} rounds of: every running node ticks, then the network delivers (everything until
     * quiet, or with faults active one faulty pass over what is in flight). Checks Log Matching
     * after each round.
     */
    public void runTicks(int n) {
        for (int i = 0; i < n; i++) {
            tickAll(1);
            if (network.faultsActive()) {
                deliverRoundWithFaults();
            } else {
                stabilize();
            }
            checker.checkLogMatching(nodes.values());
        }
    }

    /** Runs ticks until {@code condition} holds; fails the test after {@code maxTicks}. Returns the ticks used. */
    public int runUntil(String what, int maxTicks, BooleanSupplier condition) {
        for (int t = 0; t < maxTicks; t++) {
            if (condition.getAsBoolean()) {
                return t;
            }
            runTicks(1);
        }
        assertThat(condition.getAsBoolean()).as("%s within %d ticks; cluster: %s", what, maxTicks, this).isTrue();
        return maxTicks;
    }

    /**
     * Runs until there is a leader that has committed an entry of its own term and that every
     * running node it can reach follows; returns it.
     */
    public String awaitLeader(int maxTicks) {
        runUntil("a stable leader", maxTicks, () -> stableLeader() != null);
        return stableLeader();
    }

    private String stableLeader() {
        String leader = leader();
        if (leader == null) {
            return null;
        }
        RaftCore lc = core(leader);
        if (lc.log().term(lc.log().commitIndex()) != lc.currentTerm()) {
            return null;
        }
        for (TestNode n : upMembers(lc.clusterConfig())) {
            boolean reachable = network.passes(Msgs.heartbeat(leader, n.name(), 1, 0, 0))
                    && network.passes(Msgs.heartbeatResponse(n.name(), leader, 1, 0));
            if (reachable && !lc.id().equals(n.core().leaderId())) {
                return null;
            }
        }
        return leader;
    }

    /**
     * Runs until every running node holds the same log, has committed and applied all of it;
     * fails after {@code maxTicks}.
     */
    public void awaitConvergence(int maxTicks) {
        runUntil("all logs equal, committed and applied", maxTicks, this::converged);
    }

    /** Running nodes in {@code config}: servers outside it (spares, removed servers) are left alone. */
    private List<TestNode> upMembers(ClusterConfig config) {
        return upNodes().stream().filter(n -> config.isMember(n.id())).toList();
    }

    private boolean converged() {
        String leader = leader();
        List<TestNode> up = leader == null ? upNodes() : upMembers(core(leader).clusterConfig());
        RaftCore first = up.get(0).core();
        for (TestNode n : up) {
            RaftCore c = n.core();
            if (c.log().lastIndex() != first.log().lastIndex() || c.log().commitIndex() != c.log().lastIndex()
                    || c.log().appliedIndex() != c.log().lastIndex()
                    || c.log().lastIndex() > 0 && c.log().term(c.log().lastIndex()) != first.log().term(first.log().lastIndex())) {
                return false;
            }
        }
        return true;
    }

    // ---------------------------------------------------------------------------------------------
    // Delivery
    // ---------------------------------------------------------------------------------------------

    /** Delivers messages in sending order until none is left in flight; fails on a livelock. */
    public void stabilize() {
        int delivered = 0;
        RaftMessage m;
        while ((m = network.pollFirst()) != null) {
            if (++delivered > MAX_DELIVERIES) {
                throw new AssertionError("network still busy after " + MAX_DELIVERIES + " deliveries: " + this);
            }
            deliver(m);
        }
    }

    /** Same as {@link #stabilize()}. */
    public void deliverAll() {
        stabilize();
    }

    /** Delivers, oldest first, only messages matching {@code filter} until none is in flight; others wait. */
    public void deliverOnly(Predicate<RaftMessage> filter) {
        int delivered = 0;
        RaftMessage m;
        while ((m = network.pollFirst(filter)) != null) {
            if (++delivered > MAX_DELIVERIES) {
                throw new AssertionError("network still busy after " + MAX_DELIVERIES + " deliveries: " + this);
            }
            deliver(m);
        }
    }

    /** The messages now in flight, oldest first. */
    public List<RaftMessage> inFlight() {
        return network.inFlight();
    }

    /** Drops every message in flight. */
    public void dropInFlight() {
        while (network.pollFirst() != null) {
            // discard
        }
    }

    /** One pass over the messages in flight, in random order: each is dropped, delayed, or delivered (and maybe duplicated). */
    private void deliverRoundWithFaults() {
        SplittableRandom r = network.random();
        for (RaftMessage m : network.takeAllShuffled()) {
            double roll = r.nextDouble();
            if (roll < network.dropRate()) {
                continue;
            }
            if (roll < network.dropRate() + network.delayRate()) {
                network.requeue(m);
                continue;
            }
            deliver(m);
            if (r.nextDouble() < network.duplicateRate()) {
                network.requeue(m);
            }
        }
    }

    private void deliver(RaftMessage m) {
        deliveries++;
        if (!network.passes(m)) {
            return;
        }
        TestNode target = nodes.get(m.to());
        if (target == null || !target.isUp()) {
            return;
        }
        target.step(m);
        afterEvent(target);
    }

    private void afterEvent(TestNode node) {
        if (!node.isUp()) {
            return;
        }
        for (RaftMessage m : node.takeSent()) {
            network.send(m);
        }
        checker.check(node);
    }

    // ---------------------------------------------------------------------------------------------
    // Faults
    // ---------------------------------------------------------------------------------------------

    /** Cuts every link to and from {@code id}. */
    public void isolate(String id) {
        for (NodeId other : nodes.keySet()) {
            if (!other.value().equals(id)) {
                network.cut(NodeId.of(id), other);
                network.cut(other, NodeId.of(id));
            }
        }
    }

    /** Cuts every link between nodes of different groups; nodes in no group are isolated. */
    @SafeVarargs
    public final void partition(Set<String>... groups) {
        Map<String, Integer> groupOf = new HashMap<>();
        for (int g = 0; g < groups.length; g++) {
            for (String id : groups[g]) {
                groupOf.put(id, g);
            }
        }
        for (NodeId a : nodes.keySet()) {
            for (NodeId b : nodes.keySet()) {
                Integer ga = groupOf.get(a.value());
                Integer gb = groupOf.get(b.value());
                if (!a.equals(b) && (ga == null || !ga.equals(gb))) {
                    network.cut(a, b);
                }
            }
        }
    }

    /** Restores every link and removes every drop rule (random faults stay as set). */
    public void heal() {
        network.healLinks();
        network.clearDropRules();
    }

    /** Loses every message sent to {@code id} from now until {@link #heal()}. */
    public void dropMessagesTo(String id) {
        for (NodeId other : nodes.keySet()) {
            network.cut(other, NodeId.of(id));
        }
    }

    /** Loses every message sent by {@code id} from now until {@link #heal()}. */
    public void dropMessagesFrom(String id) {
        for (NodeId other : nodes.keySet()) {
            network.cut(NodeId.of(id), other);
        }
    }

    /** Loses every message matching {@code rule} from now until {@link #heal()}. */
    public void dropMessages(Predicate<RaftMessage> rule) {
        network.addDropRule(rule);
    }

    /** Random faults on every delivery made by {@link #runTicks}, from the cluster's seed. */
    public void setNetworkFaults(double dropRate, double duplicateRate, double delayRate) {
        network.setFaults(dropRate, duplicateRate, delayRate);
    }

    public void clearNetworkFaults() {
        network.setFaults(0, 0, 0);
    }

    /** The node loses its in-memory state and its unpersisted Readies; its disk survives. */
    public void crash(String id) {
        TestNode node = node(id);
        node.crash();
        network.discardTo(node.id());
    }

    /** Starts a crashed node again from its durable state. */
    public void restart(String id) {
        TestNode node = node(id);
        checker.onRestart(node.id());
        node.restart();
        afterEvent(node);
    }

    /** Readies of {@code id} stay unpersisted until {@link #resumeDisk}; their early messages still leave. */
    public void stallDisk(String id) {
        node(id).stallDisk();
    }

    public void resumeDisk(String id) {
        TestNode node = node(id);
        node.resumeDisk();
        afterEvent(node);
    }

    // ---------------------------------------------------------------------------------------------
    // Clients
    // ---------------------------------------------------------------------------------------------

    public ProposeResult propose(String id, String command) {
        TestNode node = node(id);
        ProposeResult result = node.propose(command);
        afterEvent(node);
        return result;
    }

    /** Proposes all commands at {@code id} in one turn (no Ready taken between them). */
    public List<ProposeResult> proposeAll(String id, List<String> commands) {
        TestNode node = node(id);
        List<ProposeResult> results = node.proposeAll(commands);
        afterEvent(node);
        return results;
    }

    public ProposeResult proposeConfigChange(String id, ConfigChange change) {
        TestNode node = node(id);
        ProposeResult result = node.proposeConfigChange(change);
        afterEvent(node);
        return result;
    }

    public TransferResult transferLeadership(String id, String target) {
        TestNode node = node(id);
        TransferResult result = node.transferLeadership(target);
        afterEvent(node);
        return result;
    }

    public void readIndex(String id, long... requestIds) {
        TestNode node = node(id);
        node.readIndex(requestIds);
        afterEvent(node);
    }

    /** The running leader with the highest term, or null if no running node leads. */
    public String leader() {
        TestNode best = null;
        for (TestNode n : upNodes()) {
            if (n.core().role() == RaftRole.LEADER && (best == null || n.core().currentTerm() > best.core().currentTerm())) {
                best = n;
            }
        }
        return best == null ? null : best.name();
    }

    /** Every running node that believes it leads. */
    public List<String> leaders() {
        return upNodes().stream().filter(n -> n.core().role() == RaftRole.LEADER).map(TestNode::name).toList();
    }

    public List<String> appliedCommands(String id) {
        return node(id).appliedCommands();
    }

    /** Every running node's log entries (those its log holds: after its snapshot, if compacted). */
    public Map<String, List<LogEntry>> logs() {
        Map<String, List<LogEntry>> out = new LinkedHashMap<>();
        for (TestNode n : upNodes()) {
            out.put(n.name(), n.core().log().entries(n.core().log().firstIndex(), n.core().log().lastIndex()));
        }
        return out;
    }

    // ---------------------------------------------------------------------------------------------
    // Snapshots (paper §7)
    // ---------------------------------------------------------------------------------------------

    /** {@code id} snapshots its state machine at its applied index; see {@link TestNode#takeSnapshot()}. */
    public SnapshotMetadata takeSnapshot(String id) {
        TestNode node = node(id);
        SnapshotMetadata metadata = node.takeSnapshot();
        afterEvent(node);
        return metadata;
    }

    /** {@code id} drops its log entries up through {@code index}; see {@link TestNode#compactLog(long)}. */
    public void compactLog(String id, long index) {
        TestNode node = node(id);
        node.compactLog(index);
        afterEvent(node);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("tick " + ticks + ", " + network.inFlightCount() + " in flight");
        for (TestNode n : nodes.values()) {
            sb.append("\n  ").append(n);
        }
        return sb.toString();
    }

    private record NodeState(long term, String votedFor, long commitIndex, long[] logTerms) {}

    /** Cluster-wide settings; the defaults are {@link io.raftkv.core.RaftConfig}'s. */
    public static final class Builder {
        private List<String> voters = List.of("n1", "n2", "n3");
        private List<String> spares = List.of();
        private boolean preVote = true;
        private boolean checkQuorum = true;
        private boolean leaseReads;
        private int electionTicks = 15;
        private int heartbeatTicks = 3;
        private int maxEntriesPerAppend;
        private int maxInflightAppends;
        private int snapshotChunkBytes;
        private long seed = 1;
        private CoreFactory factory = CoreFactory.STANDARD;
        private final Map<String, NodeState> states = new HashMap<>();

        public Builder voters(String... ids) {
            voters = List.of(ids);
            return this;
        }

        /**
         * Servers that start outside the configuration, with empty logs and the voters as their
         * bootstrap configuration, so they can be added (thesis §4.2.1).
         */
        public Builder spares(String... ids) {
            spares = List.of(ids);
            return this;
        }

        /** Voters n1..n{count}. */
        public Builder voterCount(int count) {
            List<String> ids = new ArrayList<>();
            for (int i = 1; i <= count; i++) {
                ids.add("n" + i);
            }
            voters = ids;
            return this;
        }

        public Builder preVote(boolean value) {
            preVote = value;
            return this;
        }

        public Builder leaseReads(boolean value) {
            leaseReads = value;
            return this;
        }

        public Builder checkQuorum(boolean value) {
            checkQuorum = value;
            return this;
        }

        public Builder electionTicks(int value) {
            electionTicks = value;
            return this;
        }

        public Builder heartbeatTicks(int value) {
            heartbeatTicks = value;
            return this;
        }

        public Builder maxEntriesPerAppend(int value) {
            maxEntriesPerAppend = value;
            return this;
        }

        public Builder maxInflightAppends(int value) {
            maxInflightAppends = value;
            return this;
        }

        /** Bytes per InstallSnapshot chunk; by default {@link io.raftkv.core.RaftConfig}'s. */
        public Builder snapshotChunkBytes(int value) {
            snapshotChunkBytes = value;
            return this;
        }

        public Builder seed(long value) {
            seed = value;
            return this;
        }

        public Builder coreFactory(CoreFactory value) {
            factory = value;
            return this;
        }

        /** Starts {@code id} from this durable state instead of a fresh one (entries built by {@link Msgs#log}). */
        public Builder state(String id, long term, String votedFor, long commitIndex, long... logTerms) {
            states.put(id, new NodeState(term, votedFor, commitIndex, Arrays.copyOf(logTerms, logTerms.length)));
            return this;
        }

        public TestCluster build() {
            return new TestCluster(this);
        }
    }
}
