package io.raftkv.sim;

import io.raftkv.core.ClusterConfig;
import io.raftkv.core.InitialState;
import io.raftkv.core.LogEntry;
import io.raftkv.core.NodeId;
import io.raftkv.core.ProposeResult;
import io.raftkv.core.RaftConfig;
import io.raftkv.core.RaftCore;
import io.raftkv.core.ReadState;
import io.raftkv.core.Ready;
import io.raftkv.core.message.RaftMessage;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * One simulated server: a {@link RaftCore} driven exactly as the {@link Ready} contract says, a
 * simulated disk whose writes take time and are lost by a crash until they complete, and the
 * key-value state machine. Readies are pipelined: the core keeps stepping while earlier Readies
 * are still being written, and they complete in order.
 */
final class SimNode {
    /** Pending client write: applied iff the entry committed at its index has this term. */
    private record PendingWrite(long opId, long term) {}

    /** A read whose index is confirmed, waiting for the state machine to catch up. */
    private record ConfirmedRead(long opId, String key, long readIndex) {}

    private final NodeId id;
    private final RaftConfig config;
    private final ClusterConfig bootstrap;
    private final CoreFactory coreFactory;
    private final EventQueue events;
    private final SimNetwork network;
    private final SplittableRandom random;
    private final NodeListener listener;
    private final long seed;
    private final SimDisk disk = new SimDisk();

    private int incarnation;
    private boolean up;
    private RaftCore core;
    private SimKvStateMachine stateMachine;
    private final ArrayDeque<Ready> diskQueue = new ArrayDeque<>();
    private boolean diskBusy;
    private final Map<Long, PendingWrite> pendingWrites = new HashMap<>();
    private final Map<Long, String> pendingReadKeys = new HashMap<>();
    private final List<ConfirmedRead> confirmedReads = new ArrayList<>();
    private long nextReadRequestId;
    /** Armed by the nemesis: lose power during the next fsync of a term or vote change. */
    private boolean crashOnNextHardStateSync;

    SimNode(NodeId id, RaftConfig config, ClusterConfig bootstrap, CoreFactory coreFactory, EventQueue events,
            SimNetwork network, SplittableRandom random, NodeListener listener, long seed) {
        this.id = id;
        this.config = config;
        this.bootstrap = bootstrap;
        this.coreFactory = coreFactory;
        this.events = events;
        this.network = network;
        this.random = random;
        this.listener = listener;
        this.seed = seed;
    }

    /** Starts (or restarts) from what the disk holds. */
    void start() {
        up = true;
        incarnation++;
        InitialState initial = new InitialState(bootstrap, disk.hardState(), disk.log());
        core = coreFactory.create(config, new SplittableRandom(seed * 31 + id.hashCode() * 17L + incarnation),
                initial);
        stateMachine = new SimKvStateMachine();
        events.after(1 + random.nextInt(10), new SimEvent.Tick(id, incarnation));
    }

    /** Loses everything not on disk: the core, the unsynced writes, the state machine, pending clients. */
    void crash() {
        up = false;
        crashOnNextHardStateSync = false;
        core = null;
        stateMachine = null;
        diskQueue.clear();
        diskBusy = false;
        pendingWrites.clear();
        pendingReadKeys.clear();
        confirmedReads.clear();
        incarnation++;
    }

    void onTick(int tickIncarnation) {
        if (!up || tickIncarnation != incarnation) {
            return;
        }
        core.tick();
        drain();
        events.after(10, new SimEvent.Tick(id, incarnation));
    }

    void onMessage(RaftMessage message) {
        if (!up) {
            return;
        }
        core.step(message);
        drain();
    }

    /** Proposes a client write here. */
    ProposeResult propose(long opId, KvCommand command) {
        ProposeResult result = core.propose(command.encode());
        if (result instanceof ProposeResult.Accepted accepted) {
            pendingWrites.put(accepted.index(), new PendingWrite(opId, accepted.term()));
        }
        drain();
        return result;
    }

    /** Starts a linearizable read of {@code key} here. */
    void read(long opId, String key) {
        long requestId = ++nextReadRequestId;
        pendingReadKeys.put(requestId, key + "\n" + opId);
        core.readIndex(requestId);
        drain();
    }

    /** Takes every Ready: sends what may leave now, and queues the rest behind the disk. */
    private void drain() {
        while (core.hasReady()) {
            Ready ready = core.ready();
            for (RaftMessage m : ready.messages()) {
                listener.onSent(m);
                network.send(m);
            }
            diskQueue.add(ready);
        }
        startDiskWrite();
    }

    private void startDiskWrite() {
        if (!diskBusy && !diskQueue.isEmpty()) {
            diskBusy = true;
            long latency = diskQueue.peekFirst().needsPersist() ? 1 + random.nextInt(8) : 0;
            events.after(latency, new SimEvent.DiskDone(id, incarnation));
        }
    }

    /** The oldest queued Ready is durable: finish it as the contract says, then start the next. */
    void onDiskDone(int doneIncarnation) {
        if (!up || doneIncarnation != incarnation) {
            return;
        }
        diskBusy = false;
        if (crashOnNextHardStateSync && diskQueue.peekFirst().hardState() != null
                && diskQueue.peekFirst().hardState().currentTerm() > disk.hardState().currentTerm()) {
            crashOnNextHardStateSync = false;
            crash();
            listener.onPowerLoss(id);
            return;
        }
        Ready ready = diskQueue.pollFirst();
        disk.persist(ready.hardState(), ready.entriesToPersist());
        for (RaftMessage m : ready.messagesAfterPersist()) {
            listener.onSent(m);
            network.send(m);
        }
        for (LogEntry entry : ready.committedEntries()) {
            apply(entry);
        }
        for (ReadState readState : ready.readStates()) {
            String pending = pendingReadKeys.remove(readState.requestId());
            if (pending != null) {
                String[] keyAndOp = pending.split("\n");
                confirmedReads.add(new ConfirmedRead(Long.parseLong(keyAndOp[1]), keyAndOp[0], readState.readIndex()));
            }
        }
        for (long requestId : ready.droppedReads()) {
            String pending = pendingReadKeys.remove(requestId);
            if (pending != null) {
                listener.onReadFailed(Long.parseLong(pending.split("\n")[1]));
            }
        }
        serveConfirmedReads();
        core.advance(ready);
        drain();
    }

    private void apply(LogEntry entry) {
        String result = stateMachine.apply(entry);
        listener.onApplied(id, entry, result);
        PendingWrite pending = pendingWrites.remove(entry.index());
        if (pending != null) {
            if (pending.term() == entry.term()) {
                listener.onWriteApplied(pending.opId(), entry, result);
            } else {
                listener.onWriteLost(pending.opId());
            }
        }
    }

    private void serveConfirmedReads() {
        Iterator<ConfirmedRead> it = confirmedReads.iterator();
        while (it.hasNext()) {
            ConfirmedRead read = it.next();
            if (stateMachine.appliedIndex() >= read.readIndex()) {
                it.remove();
                listener.onReadServed(read.opId(), stateMachine.get(read.key()));
            }
        }
    }

    /** The next fsync that raises the durable term is lost, and the node with it. */
    void armCrashOnNextTermSync() {
        crashOnNextHardStateSync = true;
    }

    boolean isUp() {
        return up;
    }

    NodeId id() {
        return id;
    }

    /** The running core, or null while crashed. */
    RaftCore core() {
        return core;
    }

    long appliedIndex() {
        return stateMachine == null ? 0 : stateMachine.appliedIndex();
    }

    SimDisk disk() {
        return disk;
    }

    int incarnation() {
        return incarnation;
    }
}
