package io.raftkv.kv.resp;

import io.raftkv.kv.KvBackend;
import io.raftkv.kv.KvBackendException;
import io.raftkv.kv.KvProposal;
import io.raftkv.kv.KvProposalCodec;
import io.raftkv.kv.KvResult;
import io.raftkv.kv.KvResultCodec;
import io.raftkv.kv.KvStateMachine;
import io.raftkv.kv.ReadMode;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A test double for the Raft part of a node only: no log, no replication, no elections. Each write
 * is encoded exactly as a real node would log it, and applied to a real {@link KvStateMachine} on
 * one "apply thread", in submission order; read barriers complete on that thread after every write
 * submitted before them. Failures can be scripted per call, to check what clients see.
 */
final class DirectApplyBackend implements KvBackend, AutoCloseable {

    /** What to do with one scripted write. */
    enum Fault {
        /** Fail without applying (e.g. NotLeader, Busy). */
        FAIL_BEFORE_APPLY,
        /** Apply, then fail anyway (a timeout or leader change after the entry committed). */
        APPLY_THEN_FAIL,
        /** Never complete the future. */
        HANG,
        /** Throw from write() itself, as a buggy backend might. */
        THROW
    }

    private record ScriptedFault(Fault fault, KvBackendException failure) {
    }

    private final KvStateMachine stateMachine = new KvStateMachine();
    private final ExecutorService applyThread = Executors.newSingleThreadExecutor(runnable -> {
        Thread thread = new Thread(runnable, "test-apply");
        thread.setDaemon(true);
        return thread;
    });
    private final AtomicLong nextIndex = new AtomicLong(1);
    private final ReentrantLock lock = new ReentrantLock();
    private final ArrayDeque<ScriptedFault> writeFaults = new ArrayDeque<>();
    private final ArrayDeque<KvBackendException> readFaults = new ArrayDeque<>();
    private final Map<ReadMode, AtomicLong> barriersByMode = new EnumMap<>(ReadMode.class);
    private final List<KvProposal> proposals = new ArrayList<>();
    /** Read barriers complete only after this gate opens; open unless a test holds reads. */
    private volatile CompletableFuture<Void> readGate = CompletableFuture.completedFuture(null);

    DirectApplyBackend() {
        for (ReadMode mode : ReadMode.values()) {
            barriersByMode.put(mode, new AtomicLong());
        }
    }

    /** The next {@code count} writes suffer {@code fault} with {@code failure}. */
    void scriptWriteFaults(int count, Fault fault, KvBackendException failure) {
        lock.lock();
        try {
            for (int i = 0; i < count; i++) {
                writeFaults.add(new ScriptedFault(fault, failure));
            }
        } finally {
            lock.unlock();
        }
    }

    /** The next read barrier fails with {@code failure}. */
    void scriptReadFault(KvBackendException failure) {
        lock.lock();
        try {
            readFaults.add(failure);
        } finally {
            lock.unlock();
        }
    }

    /** Read barriers stay pending until {@link #releaseReads()}. */
    void holdReads() {
        readGate = new CompletableFuture<>();
    }

    void releaseReads() {
        readGate.complete(null);
    }

    long barrierCount(ReadMode mode) {
        return barriersByMode.get(mode).get();
    }

    /** Every proposal received, in order (including retries). */
    List<KvProposal> proposals() {
        lock.lock();
        try {
            return List.copyOf(proposals);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public CompletableFuture<KvResult> write(KvProposal proposal) {
        byte[] entry = KvProposalCodec.encode(proposal);
        ScriptedFault scripted;
        lock.lock();
        try {
            proposals.add(proposal);
            scripted = writeFaults.poll();
        } finally {
            lock.unlock();
        }
        if (scripted != null && scripted.fault() == Fault.THROW) {
            throw new IllegalStateException("scripted backend bug");
        }
        if (scripted != null && scripted.fault() == Fault.HANG) {
            return new CompletableFuture<>();
        }
        if (scripted != null && scripted.fault() == Fault.FAIL_BEFORE_APPLY) {
            return CompletableFuture.failedFuture(scripted.failure());
        }
        CompletableFuture<KvResult> result = new CompletableFuture<>();
        applyThread.execute(() -> {
            byte[] bytes = stateMachine.apply(nextIndex.getAndIncrement(), entry);
            if (scripted != null) {
                result.completeExceptionally(scripted.failure());
            } else {
                result.complete(KvResultCodec.decode(bytes));
            }
        });
        return result;
    }

    @Override
    public CompletableFuture<Void> readBarrier(ReadMode mode) {
        barriersByMode.get(mode).incrementAndGet();
        KvBackendException failure;
        lock.lock();
        try {
            failure = readFaults.poll();
        } finally {
            lock.unlock();
        }
        if (failure != null) {
            return CompletableFuture.failedFuture(failure);
        }
        return readGate.thenRunAsync(() -> { }, applyThread);
    }

    @Override
    public KvStateMachine stateMachine() {
        return stateMachine;
    }

    @Override
    public Map<String, String> raftInfo() {
        Map<String, String> info = new LinkedHashMap<>();
        info.put("raft_role", "leader");
        info.put("raft_term", "1");
        info.put("raft_leader_id", "1");
        info.put("raft_leader_addr", "127.0.0.1:6379");
        info.put("raft_commit_index", Long.toString(nextIndex.get() - 1));
        info.put("raft_applied_index", Long.toString(stateMachine.lastAppliedIndex()));
        return info;
    }

    @Override
    public void close() throws InterruptedException {
        applyThread.shutdown();
        applyThread.awaitTermination(5, TimeUnit.SECONDS);
    }
}
