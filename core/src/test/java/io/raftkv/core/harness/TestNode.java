package io.raftkv.core.harness;

import static org.assertj.core.api.Assertions.assertThat;

import io.raftkv.core.ClusterConfig;
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

    private TestNode(Builder b) {
        this.id = NodeId.of(b.id);
        this.bootstrap = ClusterConfig.ofVoters(b.voters.stream().map(NodeId::of).collect(Collectors.toList()));
        RaftConfig.Builder cb = RaftConfig.builder(id).electionTicks(b.electionTicks).heartbeatTicks(b.heartbeatTicks)
                .preVote(b.preVote).checkQuorum(b.checkQuorum);
        if (b.maxEntriesPerAppend > 0) {
            cb.maxEntriesPerAppend(b.maxEntriesPerAppend);
        }
        if (b.maxInflightAppends > 0) {
            cb.maxInflightAppends(b.maxInflightAppends);
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
        drain(); // a restarted core re-applies what its durable commit index covers
    }

    /** Loses the in-memory core and every Ready not yet persisted; the durable state stays. */
    public void crash() {
        core = null;
        unpersisted.clear();
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

    /** Asks for reads in one turn: the driver takes no Ready between them. */
    public void readIndex(long... requestIds) {
        for (long requestId : requestIds) {
            core().readIndex(requestId);
        }
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
            readStates.addAll(ready.readStates());
            droppedReads.addAll(ready.droppedReads());
            core.advance(ready); // 5.
        }
    }

    private void apply(LogEntry e) {
        if (e.index() != applied.size() + 1) {
            throw new AssertionError(id + " applies " + e + " after " + applied.size() + " entries: out of order");
        }
        List<LogEntry> stored = durable.log();
        if (stored.size() < e.index() || !stored.get((int) e.index() - 1).equals(e)) {
            throw new AssertionError(id + " applies " + e + " which is not durable on this server");
        }
        applied.add(e);
        applyListener.accept(this, e);
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

    /** The terms of the in-memory log, index 1 first. */
    public long[] logTerms() {
        long[] terms = new long[(int) core().log().lastIndex()];
        for (int i = 0; i < terms.length; i++) {
            terms[i] = core().log().term(i + 1);
        }
        return terms;
    }

    static byte[] bytes(String command) {
        return command.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return core == null ? id + "[crashed]" : core + " log=" + Arrays.toString(logTerms());
    }

    /** Settings for one node; the defaults are {@link RaftConfig}'s. */
    public static final class Builder {
        private final String id;
        private List<String> voters;
        private boolean preVote = true;
        private boolean checkQuorum = true;
        private int electionTicks = 15;
        private int heartbeatTicks = 3;
        private int maxEntriesPerAppend;
        private int maxInflightAppends;
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
