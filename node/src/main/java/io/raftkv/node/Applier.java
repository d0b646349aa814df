package io.raftkv.node;

import io.raftkv.core.EntryType;
import io.raftkv.core.LocalSnapshot;
import io.raftkv.core.LogEntry;
import io.raftkv.core.SnapshotMetadata;
import java.io.InputStream;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The apply thread: applies committed entries to the user's {@link StateMachine} in log order,
 * completes the proposals waiting for them, serves read barriers once the applied index reaches
 * their read index (thesis §6.4), installs snapshots received from the leader, and asks for a
 * snapshot of its own every so many entries (R-SNAP-1). It never touches the core: the state
 * machine never runs while consensus state is locked (R-OPS-6).
 */
final class Applier implements Runnable {
    private static final Logger log = LoggerFactory.getLogger(Applier.class);

    private sealed interface Task permits Apply, AwaitRead, Stop {}

    private record Apply(List<LogEntry> entries, SnapshotMetadata install, Consumer<LocalSnapshot> afterInstall)
            implements Task {}

    private record AwaitRead(long readIndex, CompletableFuture<Long> future) implements Task {}

    private record Stop() implements Task {}

    private record WaitingRead(long readIndex, CompletableFuture<Long> future) {}

    /** Asks the Raft loop to name a snapshot at an index and to write the view (see RaftNode). */
    interface SnapshotRequester {
        void request(long index, StateMachine.Snapshot view);
    }

    private final String nodeId;
    private final StateMachine stateMachine;
    private final NodeStorage storage;
    private final PendingProposals proposals;
    private final NodeHealth health;
    private final long snapshotEveryEntries;
    private final LinkedBlockingQueue<Task> tasks = new LinkedBlockingQueue<>();
    private final PriorityQueue<WaitingRead> waitingReads =
            new PriorityQueue<>((a, b) -> Long.compare(a.readIndex(), b.readIndex()));
    private volatile long appliedIndex;
    private long lastSnapshotIndex;
    private volatile SnapshotRequester snapshotRequester;

    Applier(String nodeId, StateMachine stateMachine, NodeStorage storage, PendingProposals proposals,
            NodeHealth health, long snapshotEveryEntries, long startIndex) {
        this.nodeId = nodeId;
        this.stateMachine = stateMachine;
        this.storage = storage;
        this.proposals = proposals;
        this.health = health;
        this.snapshotEveryEntries = snapshotEveryEntries;
        this.appliedIndex = startIndex;
        this.lastSnapshotIndex = startIndex;
    }

    void setSnapshotRequester(SnapshotRequester requester) {
        snapshotRequester = requester;
    }

    /** Applies entries, then installs {@code install} if not null and reports it to {@code afterInstall}. */
    void submit(List<LogEntry> entries, SnapshotMetadata install, Consumer<LocalSnapshot> afterInstall) {
        tasks.add(new Apply(entries, install, afterInstall));
    }

    /** Completes {@code future} with the applied index once it reaches {@code readIndex}. */
    void awaitApplied(long readIndex, CompletableFuture<Long> future) {
        tasks.add(new AwaitRead(readIndex, future));
    }

    long appliedIndex() {
        return appliedIndex;
    }

    void stop() {
        tasks.add(new Stop());
    }

    @Override
    public void run() {
        try {
            while (true) {
                Task task = tasks.poll(1, TimeUnit.SECONDS);
                if (task instanceof Stop) {
                    break;
                }
                if (task instanceof Apply apply) {
                    applyAll(apply.entries());
                    if (apply.install() != null) {
                        install(apply.install(), apply.afterInstall());
                    }
                    maybeRequestSnapshot();
                } else if (task instanceof AwaitRead read) {
                    waitingReads.add(new WaitingRead(read.readIndex(), read.future()));
                }
                serveReads();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException | Error e) {
            health.fail("apply thread failed", e);
        } finally {
            for (WaitingRead read : waitingReads) {
                read.future().completeExceptionally(new RaftNodeException.Stopped("node stopped", false));
            }
        }
    }

    private void applyAll(List<LogEntry> entries) {
        for (LogEntry entry : entries) {
            if (entry.index() <= appliedIndex) {
                continue; // already in the state through a snapshot
            }
            if (entry.index() != appliedIndex + 1) {
                throw new IllegalStateException(nodeId + ": apply of entry " + entry.index() + " after " + appliedIndex);
            }
            byte[] result = new byte[0];
            String rejection = null;
            if (entry.type() == EntryType.NORMAL) {
                try {
                    result = stateMachine.apply(entry.index(), entry.data());
                    if (result == null) {
                        throw new IllegalStateException("state machine returned null for entry " + entry.index());
                    }
                } catch (CommandRejectedException rejected) {
                    rejection = rejected.getMessage(); // deterministic: the same on every node (R-OPS-6)
                }
            }
            appliedIndex = entry.index();
            proposals.applied(entry.index(), entry.term(), result, rejection);
        }
    }

    private void install(SnapshotMetadata metadata, Consumer<LocalSnapshot> afterInstall) {
        LocalSnapshot local;
        try {
            local = storage.install(metadata);
            try (InputStream in = storage.openSnapshotData(metadata)) {
                stateMachine.restore(in);
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("installing snapshot " + metadata.lastIncludedIndex() + " failed", e);
        }
        appliedIndex = metadata.lastIncludedIndex();
        lastSnapshotIndex = appliedIndex;
        log.info("{}: installed snapshot through index {} (term {})", nodeId, metadata.lastIncludedIndex(),
                metadata.lastIncludedTerm());
        afterInstall.accept(local);
    }

    private void maybeRequestSnapshot() {
        SnapshotRequester requester = snapshotRequester;
        if (requester != null && appliedIndex - lastSnapshotIndex >= snapshotEveryEntries) {
            lastSnapshotIndex = appliedIndex;
            requester.request(appliedIndex, stateMachine.snapshot());
        }
    }

    private void serveReads() {
        while (!waitingReads.isEmpty() && waitingReads.peek().readIndex() <= appliedIndex) {
            waitingReads.poll().future().complete(appliedIndex);
        }
    }
}
