package io.raftkv.core.harness;

import static org.assertj.core.api.Assertions.assertThat;

import io.raftkv.core.ClusterConfig;
import io.raftkv.core.ConfigChange;
import io.raftkv.core.EntryType;
import io.raftkv.core.HardState;
import io.raftkv.core.LogEntry;
import io.raftkv.core.NodeId;
import io.raftkv.core.ProposeResult;
import io.raftkv.core.RaftConfig;
import io.raftkv.core.RaftCore;
import io.raftkv.core.RaftRole;
import io.raftkv.core.ReadState;
import io.raftkv.core.Ready;
import io.raftkv.core.SnapshotMetadata;
import io.raftkv.core.TransferResult;
import io.raftkv.core.message.RaftMessage;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.BiConsumer;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * One server driven by hand: a {@link RaftCore}, its simulated disk ({@link DurableState}) and a
 * driver that carries out every {@link Ready} in the documented order (send {@code messages()},
 * persist, send {@code messagesAfterPersist()}, apply, advance) right after each input.
 *
 * <p>Sent messages collect in an outbox ({@link #takeSent()}); nothing is delivered anywhere, so a
 * unit test can feed the core hand-made messages and inspect exactly what it answered.
 * {@link #stallDisk()} keeps Readies unpersisted (their early messages still leave), and
 * {@link #crash()} loses them, as a real crash would.
 *
 * <p>Snapshots (paper §7): the state machine is the sequence of applied entries, and its snapshot
 * is their encoding ({@link SnapshotCodec}). {@link #takeSnapshot()} writes one at the applied
 * index and registers it with the core; {@link #compactLog(long)} then drops the covered prefix in
 * memory and on disk. A snapshot received from a leader is installed as the Ready contract says:
 * after applying the Ready's committed entries, the received file becomes the durable snapshot,
 * the state machine's state becomes the snapshot's, the stored log keeps only what continues it,
 * and after {@code advance} the snapshot is registered with the core for sending to others.
 */
public final class TestNode {
    private static final int MAX_READIES_PER_INPUT = 1_000;

    private final NodeId id;
    private final RaftConfig config;
    private final ClusterConfig bootstrap;
    private final CoreFactory factory;
    private final long seed;
    private final DurableState durable;
    private final BiConsumer<TestNode, LogEntry> applyListener;

    private RaftCore core;
    private int incarnation;
    private boolean diskStalled;
    private final ArrayDeque<Ready> unpersisted = new ArrayDeque<>();
    /** Entries applied by the state machine of the current incarnation, in order. */
    private final List<LogEntry> applied = new ArrayList<>();
    private final List<RaftMessage> outbox = new ArrayList<>();
    private final List<Ready> readies = new ArrayList<>();
    private final List<ReadState> readStates = new ArrayList<>();
    private final List<Long> droppedReads = new ArrayList<>();
    /** Snapshots received from a leader and installed, in order, over all incarnations. */
    private final List<SnapshotMetadata> installedSnapshots = new ArrayList<>();

    private TestNode(Builder b) {
        this.id = NodeId.of(b.id);
        this.bootstrap = ClusterConfig.ofVoters(b.voters.stream().map(NodeId::of).collect(Collectors.toList()));
        RaftConfig.Builder cb = RaftConfig.builder(id).electionTicks(b.electionTicks).heartbeatTicks(b.heartbeatTicks)
                .preVote(b.preVote).checkQuorum(b.checkQuorum).leaseReads(b.leaseReads);
        if (b.maxEntriesPerAppend > 0) {
            cb.maxEntriesPerAppend(b.maxEntriesPerAppend);
        }
        if (b.maxInflightAppends > 0) {
            cb.maxInflightAppends(b.maxInflightAppends);
        }
        if (b.snapshotChunkBytes > 0) {
            cb.snapshotChunkBytes(b.snapshotChunkBytes);
        }
        this.config = cb.build();
        this.factory = b.factory;
        this.seed = b.seed;
        NodeId votedFor = b.votedFor == null ? null : NodeId.of(b.votedFor);
        long maxLogTerm = Arrays.stream(b.logTerms).max().orElse(0);
        long term = b.term >= 0 ? b.term : maxLogTerm; // unset: the term of the last entry
        this.durable = new DurableState(new HardState(term, votedFor, b.commitIndex), Msgs.log(b.logTerms));
        this.applyListener = b.applyListener;
        start();
    }

    public static Builder builder(String id) {
        return new Builder(id);
    }

    // ---------------------------------------------------------------------------------------------
    // Lifecycle
    // ---------------------------------------------------------------------------------------------

    private void start() {
        applied.clear();
        unpersisted.clear();
        diskStalled = false;
        core = factory.create(config, new SplittableRandom(seed * 1_000_003L + incarnation),
                durable.toInitialState(bootstrap));
        incarnation++;
        if (durable.snapshotMetadata() != null) {
            // The state machine starts from the durable snapshot (R-DISK-4).
            for (LogEntry e : SnapshotCodec.decode(durable.snapshotData())) {
                applied.add(e);
                applyListener.accept(this, e);
            }
        }
        drain(); // a restarted core re-applies what its durable commit index covers
    }

    /**
     * Loses the in-memory core, every Ready not yet persisted and the snapshot file being received;
     * the rest of the durable state stays.
     */
    public void crash() {
        core = null;
        unpersisted.clear();
        durable.discardReceiving();
    }

    /** Starts a new core from the durable state (paper §5.5). */
    public void restart() {
        if (core != null) {
            throw new IllegalStateException(id + " is running");
        }
        start();
    }

    public boolean isUp() {
        return core != null;
    }

    public int incarnation() {
        return incarnation;
    }

    /** From now on Readies are taken and their early messages sent, but nothing becomes durable. */
    public void stallDisk() {
        diskStalled = true;
    }

    /** Persists the stalled Readies in order, then continues normally. */
    public void resumeDisk() {
        diskStalled = false;
        completeUnpersisted();
        drain();
    }

    // ---------------------------------------------------------------------------------------------
    // Inputs
    // ---------------------------------------------------------------------------------------------

    public void tick() {
        core().tick();
        drain();
    }

    public void tick(int n) {
        for (int i = 0; i < n; i++) {
            tick();
        }
    }

    /** Ticks until the core satisfies {@code condition}; fails after {@code maxTicks}. Returns the ticks used. */
    public int tickUntil(Predicate<RaftCore> condition, int maxTicks) {
        for (int t = 0; t < maxTicks; t++) {
            if (condition.test(core())) {
                return t;
            }
            tick();
        }
        assertThat(condition.test(core())).as("%s: condition not reached within %d ticks", core(), maxTicks).isTrue();
        return maxTicks;
    }

    public void step(RaftMessage message) {
        core().step(message);
        drain();
    }

    public ProposeResult propose(String command) {
        ProposeResult result = core().propose(bytes(command));
        drain();
        return result;
    }

    /** Proposes all commands in one turn: the driver takes no Ready between them. */
    public List<ProposeResult> proposeAll(List<String> commands) {
        List<ProposeResult> results = new ArrayList<>();
        for (String c : commands) {
            results.add(core().propose(bytes(c)));
        }
        drain();
        return results;
    }

    /** Proposes a membership change (thesis ch. 4). */
    public ProposeResult proposeConfigChange(ConfigChange change) {
        ProposeResult result = core().proposeConfigChange(change);
        drain();
        return result;
    }

    /** Starts a leadership transfer to {@code target} (thesis §3.10). */
    public TransferResult transferLeadership(String target) {
        TransferResult result = core().transferLeadership(NodeId.of(target));
        drain();
        return result;
    }

    /** Asks for reads in one turn: the driver takes no Ready between them. */
    public void readIndex(long... requestIds) {
        for (long requestId : requestIds) {
            core().readIndex(requestId);
        }
        drain();
    }

    /** Snapshots the state machine at the applied index; see {@link #takeSnapshot(long)}. */
    public SnapshotMetadata takeSnapshot() {
        return takeSnapshot(core().log().appliedIndex());
    }

    /**
     * Snapshots the state machine as it was at {@code index} (applied, and still in the log or
     * the snapshot's own index), writes it durably and registers it with the core (R-SNAP-1).
     * The log is not compacted; see {@link #compactLog(long)}.
     */
    public SnapshotMetadata takeSnapshot(long index) {
        SnapshotMetadata metadata = core().snapshotMetadataAt(index);
        byte[] data = SnapshotCodec.encode(applied.subList(0, (int) index));
        durable.saveSnapshot(metadata, data);
        core().snapshotSaved(DurableState.localSnapshot(metadata, data));
        drain();
        return metadata;
    }

    /** Drops the log entries up through {@code index} in memory and on disk (paper §7). */
    public void compactLog(long index) {
        core().compactLog(index);
        durable.compactTo(index);
        drain();
    }

    /**
     * Wins an election by hand: ticks until this server campaigns, then feeds it (pre-)vote grants
     * from the other voters. Clears the outbox afterwards.
     */
    public void electSelf() {
        tickUntil(c -> c.role() != RaftRole.FOLLOWER, 4 * config.electionTicks());
        List<NodeId> others = core().clusterConfig().voters().stream().filter(v -> !v.equals(id)).toList();
        for (NodeId voter : others) {
            if (core().role() != RaftRole.PRE_CANDIDATE) {
                break;
            }
            step(Msgs.preVoteGranted(voter.value(), id.value(), core().currentTerm() + 1));
        }
        for (NodeId voter : others) {
            if (core().role() != RaftRole.CANDIDATE) {
                break;
            }
            step(Msgs.voteGranted(voter.value(), id.value(), core().currentTerm()));
        }
        assertThat(core().role()).as("%s after feeding it votes", core()).isEqualTo(RaftRole.LEADER);
        takeSent();
        takeReadies();
    }

    // ---------------------------------------------------------------------------------------------
    // The driver: the Ready contract
    // ---------------------------------------------------------------------------------------------

    private void drain() {
        int taken = 0;
        while (core.hasReady()) {
            if (++taken > MAX_READIES_PER_INPUT) {
                throw new AssertionError(core + " still has a Ready after " + MAX_READIES_PER_INPUT);
            }
            Ready ready = core.ready();
            readies.add(ready);
            outbox.addAll(ready.messages()); // 1. may leave before persisting
            unpersisted.add(ready);
            if (!diskStalled) {
                completeUnpersisted();
            }
        }
    }

    private void completeUnpersisted() {
        while (!unpersisted.isEmpty()) {
            Ready ready = unpersisted.poll();
            durable.persist(ready); // 2. fsync
            outbox.addAll(ready.messagesAfterPersist()); // 3.
            for (LogEntry e : ready.committedEntries()) { // 4. apply in order, exactly once
                apply(e);
            }
            SnapshotMetadata installed = ready.snapshotToInstall();
            byte[] installedData = installed == null ? null : installSnapshot(installed);
            readStates.addAll(ready.readStates());
            droppedReads.addAll(ready.droppedReads());
            core.advance(ready); // 5.
            if (installed != null) {
                // After advance the core's log starts after the snapshot: from now on it may send it.
                core.snapshotSaved(DurableState.localSnapshot(installed, installedData));
            }
        }
    }

    private void apply(LogEntry e) {
        if (e.index() != applied.size() + 1) {
            throw new AssertionError(id + " applies " + e + " after " + applied.size() + " entries: out of order");
        }
        if (!e.equals(durable.entry(e.index()))) {
            throw new AssertionError(id + " applies " + e + " which is not durable on this server");
        }
        applied.add(e);
        applyListener.accept(this, e);
    }

    /**
     * Step 4 of the contract for a received snapshot: the file becomes the durable snapshot and the
     * state machine's state is replaced by it. The entries already applied here must agree with the
     * snapshot's (State Machine Safety); every entry it holds is reported as applied.
     */
    private byte[] installSnapshot(SnapshotMetadata metadata) {
        byte[] data = durable.installReceived(metadata);
        List<LogEntry> state = SnapshotCodec.decode(data);
        if (state.size() != metadata.lastIncludedIndex()
                || !state.isEmpty() && state.get(state.size() - 1).term() != metadata.lastIncludedTerm()) {
            throw new AssertionError(id + " received a snapshot whose state does not end at " + metadata);
        }
        if (applied.size() >= state.size() || !state.subList(0, applied.size()).equals(applied)) {
            throw new AssertionError(id + " installs " + metadata + " over applied state " + applied.size()
                    + " entries long that it does not extend");
        }
        applied.clear();
        for (LogEntry e : state) {
            applied.add(e);
            applyListener.accept(this, e);
        }
        installedSnapshots.add(metadata);
        return data;
    }

    // ---------------------------------------------------------------------------------------------
    // Outputs and inspection
    // ---------------------------------------------------------------------------------------------

    public NodeId id() {
        return id;
    }

    public String name() {
        return id.value();
    }

    public RaftCore core() {
        if (core == null) {
            throw new IllegalStateException(id + " is crashed");
        }
        return core;
    }

    public RaftConfig config() {
        return config;
    }

    public DurableState durable() {
        return durable;
    }

    /** Every message sent since the last {@link #takeSent()}, in sending order. */
    public List<RaftMessage> sent() {
        return List.copyOf(outbox);
    }

    public List<RaftMessage> takeSent() {
        List<RaftMessage> out = List.copyOf(outbox);
        outbox.clear();
        return out;
    }

    public <T extends RaftMessage> List<T> sent(Class<T> type) {
        return outbox.stream().filter(type::isInstance).map(type::cast).toList();
    }

    public <T extends RaftMessage> List<T> takeSent(Class<T> type) {
        List<T> out = sent(type);
        outbox.clear();
        return out;
    }

    /** Readies taken since the last {@link #takeReadies()}. */
    public List<Ready> readies() {
        return List.copyOf(readies);
    }

    public List<Ready> takeReadies() {
        List<Ready> out = List.copyOf(readies);
        readies.clear();
        return out;
    }

    public List<LogEntry> applied() {
        return List.copyOf(applied);
    }

    /** The applied entry at {@code index} (the state machine's state holds every applied entry). */
    public LogEntry appliedEntry(long index) {
        return applied.get((int) index - 1);
    }

    /** Snapshots received from a leader and installed here, in order. */
    public List<SnapshotMetadata> installedSnapshots() {
        return List.copyOf(installedSnapshots);
    }

    /** Payloads of the applied NORMAL entries, in order. */
    public List<String> appliedCommands() {
        return applied.stream().filter(e -> e.type() == EntryType.NORMAL)
                .map(e -> new String(e.data(), StandardCharsets.UTF_8)).toList();
    }

    public List<ReadState> readStates() {
        return List.copyOf(readStates);
    }

    public List<Long> droppedReads() {
        return List.copyOf(droppedReads);
    }

    /** The terms of the entries the in-memory log holds, from its first index (1 unless compacted). */
    public long[] logTerms() {
        long first = core().log().firstIndex();
        long[] terms = new long[(int) (core().log().lastIndex() - first + 1)];
        for (int i = 0; i < terms.length; i++) {
            terms[i] = core().log().term(first + i);
        }
        return terms;
    }

    static byte[] bytes(String command) {
        return command.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        if (core == null) {
            return id + "[crashed]";
        }
        long first = core.log().firstIndex();
        return core + " log=" + (first > 1 ? "(snapshot to " + (first - 1) + ") " : "") + Arrays.toString(logTerms());
    }

    /** Settings for one node; the defaults are {@link RaftConfig}'s. */
    public static final class Builder {
        private final String id;
        private List<String> voters;
        private boolean preVote = true;
        private boolean checkQuorum = true;
        private boolean leaseReads;
        private int electionTicks = 15;
        private int heartbeatTicks = 3;
        private int maxEntriesPerAppend;
        private int maxInflightAppends;
        private int snapshotChunkBytes;
        private long seed = 1;
        private long term = -1;
        private String votedFor;
        private long commitIndex;
        private long[] logTerms = {};
        private CoreFactory factory = CoreFactory.STANDARD;
        private BiConsumer<TestNode, LogEntry> applyListener = (n, e) -> { };

        private Builder(String id) {
            this.id = id;
            this.voters = List.of(id);
        }

        public Builder voters(String... ids) {
            voters = List.of(ids);
            return this;
        }

        public Builder voters(List<String> ids) {
            voters = List.copyOf(ids);
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

        /** Bytes per InstallSnapshot chunk; by default {@link RaftConfig}'s. */
        public Builder snapshotChunkBytes(int value) {
            snapshotChunkBytes = value;
            return this;
        }

        public Builder seed(long value) {
            seed = value;
            return this;
        }

        /** Durable currentTerm to start from; by default the term of the last log entry (0 for none). */
        public Builder term(long value) {
            term = value;
            return this;
        }

        public Builder votedFor(String value) {
            votedFor = value;
            return this;
        }

        public Builder commitIndex(long value) {
            commitIndex = value;
            return this;
        }

        /** Durable log to start from: entries 1..n with these terms (see {@link Msgs#entry}). */
        public Builder log(long... terms) {
            logTerms = terms.clone();
            return this;
        }

        public Builder coreFactory(CoreFactory value) {
            factory = value;
            return this;
        }

        public Builder onApply(BiConsumer<TestNode, LogEntry> listener) {
            applyListener = listener;
            return this;
        }

        /** Builds and starts the node. */
        public TestNode build() {
            return new TestNode(this);
        }
    }
}
