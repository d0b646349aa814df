package io.raftkv.cli;

import io.raftkv.kv.AdminRequest;
import io.raftkv.kv.KvBackend;
import io.raftkv.kv.KvProposal;
import io.raftkv.kv.KvResult;
import io.raftkv.kv.KvStateMachine;
import io.raftkv.kv.ReadMode;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Deliberate bugs, switched on only by a hidden server option, so that a test can show that
 * {@code raftkv verify} notices when the store breaks its guarantees. Never for production.
 */
enum UnsafeFault {
    /**
     * Every read is served from the node's local state without a ReadIndex round or a lease, as
     * if a linearizable read were a stale one: a follower or a deposed leader returns old values.
     */
    STALE_READS("stale-reads");

    private final String label;

    UnsafeFault(String label) {
        this.label = label;
    }

    static UnsafeFault ofLabel(String label) {
        for (UnsafeFault fault : values()) {
            if (fault.label.equals(label)) {
                return fault;
            }
        }
        throw new IllegalArgumentException("unknown fault '" + label + "' (stale-reads)");
    }

    /** The backend with this bug added. */
    KvBackend inject(KvBackend backend) {
        return new KvBackend() {
            @Override
            public CompletableFuture<KvResult> write(KvProposal proposal) {
                return backend.write(proposal);
            }

            @Override
            public CompletableFuture<Void> readBarrier(ReadMode mode) {
                return CompletableFuture.completedFuture(null);
            }

            @Override
            public KvStateMachine stateMachine() {
                return backend.stateMachine();
            }

            @Override
            public Map<String, String> raftInfo() {
                return backend.raftInfo();
            }

            @Override
            public CompletableFuture<String> administer(AdminRequest request) {
                return backend.administer(request);
            }
        };
    }
}
