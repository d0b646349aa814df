package io.raftkv.sim;

import io.raftkv.core.ClusterConfig;
import io.raftkv.core.ConfigChange;
import io.raftkv.core.InitialState;
import io.raftkv.core.LocalSnapshot;
import io.raftkv.core.LogEntry;
import io.raftkv.core.NodeId;
import io.raftkv.core.ProposeResult;
import io.raftkv.core.RaftConfig;
import io.raftkv.core.RaftCore;
import io.raftkv.core.ReadState;
import io.raftkv.core.Ready;
import io.raftkv.core.SnapshotMetadata;
import io.raftkv.core.TransferResult;
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

    /**
     * When a node snapshots its state machine: after {@code everyEntries} applied entries since the
     * last snapshot (0: never); compaction then keeps the last {@code retainEntries} entries.
     */
    record SnapshotPolicy(int everyEntries, int retainEntries) {}

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
    private final SnapshotPolicy snapshotPolicy;
    private final SimStats stats;
    /** A snapshot is being written (it takes simulated time, and the node keeps working meanwhile). */
    private boolean snapshotInProgress;
    /** Armed by the nemesis: crash between the two durable steps of installing a received snapshot. */
    private boolean crashMidInstall;

    private int incarnation;
    private boolean up;
    private RaftCore core;
    private SimKvStateMachine stateMachine;
    private final ArrayDeque<Ready> diskQueue = new ArrayDeque<>();
    private boolean diskBusy;
    private final Map<Long, PendingWrite> pendingWrites = new HashMap<>();
    /** A read waiting for its read index: which operation, on which key. */
    private record PendingRead(long opId, String key) {}

    private final Map<Long, PendingRead> pendingReads = new HashMap<>();
    private final List<ConfirmedRead> confirmedReads = new ArrayList<>();
    private long nextReadRequestId;
    /** Armed by the nemesis: lose power during the next fsync of a term or vote change. */
    private boolean crashOnNextHardStateSync;

    SimNode(NodeId id, RaftConfig config, ClusterConfig bootstrap, CoreFactory coreFactory, EventQueue events,
            SimNetwork network, SplittableRandom random, NodeListener listener, long seed,
            SnapshotPolicy snapshotPolicy, SimStats stats) {
        this.stats = stats;
        this.id = id;
        this.snapshotPolicy = snapshotPolicy;
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
        SimDisk.Snapshot snapshot = disk.snapshot();
        if (snapshot != null) {
            // Recovery applies the install rule to storage as well: after a crash between the two
            // steps of an install, the old log does not continue the new snapshot and must go.
            disk.resetLogTo(snapshot.metadata());
        }
        LocalSnapshot local = snapshot == null ? null : localSnapshot(snapshot.metadata(), snapshot.data());
        InitialState initial = new InitialState(bootstrap, local, disk.hardState(), disk.log());
        core = coreFactory.create(config, new SplittableRandom(seed * 31 + id.hashCode() * 17L + incarnation),
                initial);
        stateMachine = new SimKvStateMachine();
        if (snapshot != null) {
            stateMachine.restore(snapshot.data());
        }
        events.after(1 + random.nextInt(10), new SimEvent.Tick(id, incarnation));
    }

    /** Loses everything not on disk: the core, the unsynced writes, the state machine, pending clients. */
    void crash() {
        if (diskBusy && !diskQueue.isEmpty() && diskQueue.peekFirst().needsPersist() && random.nextBoolean()) {
            // Power lost in the middle of the fsync: a prefix of its records is on disk, the rest torn.
            Ready torn = diskQueue.peekFirst();
            int records = (torn.hardState() == null ? 0 : 1) + torn.entriesToPersist().size()
                    + torn.snapshotChunks().size();
            disk.persistPrefix(torn.hardState(), torn.entriesToPersist(), torn.snapshotChunks(),
                    random.nextInt(records));
            stats.tornWrites++;
        }
        up = false;
        crashOnNextHardStateSync = false;
        crashMidInstall = false;
        snapshotInProgress = false;
        core = null;
        stateMachine = null;
        diskQueue.clear();
        diskBusy = false;
        pendingWrites.clear();
        pendingReads.clear();
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

    /** Proposes a membership change here, as an operator's command would (thesis ch. 4). */
    ProposeResult proposeConfigChange(ConfigChange change) {
        ProposeResult result = core.proposeConfigChange(change);
        drain();
        return result;
    }

    /** Starts a leadership transfer here (thesis §3.10). */
    TransferResult transferLeadership(NodeId target) {
        TransferResult result = core.transferLeadership(target);
        drain();
        return result;
    }

    /**
     * Starts a linearizable read of {@code key} here: a third of the time through the leader's lease
     * when it holds one (thesis §6.4.1), else through ReadIndex (thesis §6.4).
     */
    void read(long opId, String key) {
        if (random.nextInt(3) == 0) {
            long leaseIndex = core.leaseReadIndex();
            if (leaseIndex >= 0) {
                stats.leaseReads++;
                confirmedReads.add(new ConfirmedRead(opId, key, leaseIndex));
                serveConfirmedReads();
                return;
            }
        }
        long requestId = ++nextReadRequestId;
        pendingReads.put(requestId, new PendingRead(opId, key));
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
        disk.persist(ready.hardState(), ready.entriesToPersist(), ready.snapshotChunks());
        for (RaftMessage m : ready.messagesAfterPersist()) {
            listener.onSent(m);
            network.send(m);
        }
        for (LogEntry entry : ready.committedEntries()) {
            apply(entry);
        }
        LocalSnapshot installed = null;
        if (ready.snapshotToInstall() != null) {
            installed = installSnapshot(ready.snapshotToInstall());
            if (installed == null) {
                return; // crashed in the middle of the install
            }
        }
        for (ReadState readState : ready.readStates()) {
            PendingRead pending = pendingReads.remove(readState.requestId());
            if (pending != null) {
                confirmedReads.add(new ConfirmedRead(pending.opId(), pending.key(), readState.readIndex()));
            }
        }
        for (long requestId : ready.droppedReads()) {
            PendingRead pending = pendingReads.remove(requestId);
            if (pending != null) {
                listener.onReadFailed(pending.opId());
            }
        }
        serveConfirmedReads();
        core.advance(ready);
        if (installed != null) {
            core.snapshotSaved(installed); // after advance: the core's log now starts after it
        }
        maybeTakeSnapshot();
        drain();
    }

    /**
     * Installs a received snapshot in two durable steps, as the storage does: the completed file
     * becomes the snapshot (atomic rename), then the covered log goes. Returns null if the node
     * crashed between the two (an armed fault), leaving the new snapshot and the old log on disk.
     */
    private LocalSnapshot installSnapshot(SnapshotMetadata metadata) {
        byte[] data = disk.promoteReceivedSnapshot(metadata);
        if (crashMidInstall) {
            crash();
            listener.onPowerLoss(id);
            return null;
        }
        disk.resetLogTo(metadata);
        stateMachine.restore(data);
        stats.snapshotsInstalled++;
        // Pending writes at or below the snapshot: their entries were applied elsewhere or replaced;
        // the snapshot does not say which, so their clients learn nothing (their outcome stays unknown).
        pendingWrites.keySet().removeIf(index -> index <= metadata.lastIncludedIndex());
        return localSnapshot(metadata, data);
    }

    /** R-SNAP-1: snapshot the applied state once enough entries accumulated; the node keeps running meanwhile. */
    private void maybeTakeSnapshot() {
        if (snapshotPolicy.everyEntries() == 0 || snapshotInProgress) {
            return;
        }
        long applied = stateMachine.appliedIndex();
        if (applied - Math.max(disk.snapshotIndex(), core.log().firstIndex() - 1) < snapshotPolicy.everyEntries()) {
            return;
        }
        SnapshotMetadata metadata = core.snapshotMetadataAt(applied);
        byte[] data = stateMachine.snapshot();
        snapshotInProgress = true;
        events.after(2 + random.nextInt(20), new SimEvent.SnapshotWritten(id, incarnation, metadata, data));
    }

    /** The snapshot file is durable: register it, then compact the log in memory and on disk. */
    void onSnapshotWritten(int writtenIncarnation, SnapshotMetadata metadata, byte[] data) {
        if (!up || writtenIncarnation != incarnation) {
            return; // crashed while writing: the temp file is discarded
        }
        snapshotInProgress = false;
        if (metadata.lastIncludedIndex() <= disk.snapshotIndex()) {
            return; // a newer snapshot was installed meanwhile
        }
        disk.saveSnapshot(metadata, data);
        stats.snapshotsTaken++;
        core.snapshotSaved(localSnapshot(metadata, data));
        long compactTo = Math.max(0, metadata.lastIncludedIndex() - snapshotPolicy.retainEntries());
        if (compactTo >= core.log().firstIndex()) {
            core.compactLog(compactTo);
            disk.compactPrefix(compactTo);
        }
        drain();
    }

    private static LocalSnapshot localSnapshot(SnapshotMetadata metadata, byte[] data) {
        return new LocalSnapshot(metadata, data.length, (offset, maxBytes) -> SimDisk.chunk(data, offset, maxBytes));
    }

    /** The next install of a received snapshot crashes between its two durable steps. */
    void armCrashMidInstall() {
        crashMidInstall = true;
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

    /** The configuration this node would use if it restarted now (its durable one). */
    ClusterConfig durableConfig() {
        return disk.config(bootstrap);
    }

    int incarnation() {
        return incarnation;
    }
}
