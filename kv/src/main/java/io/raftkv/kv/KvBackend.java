package io.raftkv.kv;

import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * What the key-value server needs from a raftkv node: propose a write, make a read consistent,
 * and report status. The node runtime implements it; tests use an in-process double.
 *
 * <h2>Contract</h2>
 * <ul>
 *   <li>Futures complete on any thread, normally or with a {@link KvBackendException}; callers
 *       never block on them and never run long work in their callbacks.</li>
 *   <li>Writes submitted from one thread are proposed in submission order, so pipelined writes of
 *       one connection apply in order unless one of them is retried.</li>
 *   <li>A backend never retries a write on its own in a way that could apply it twice without a
 *       session; the server retries with the same session and sequence number instead.</li>
 * </ul>
 */
public interface KvBackend {

    /**
     * Proposes {@code proposal} through Raft (on any node; the runtime forwards to the leader) and
     * completes with its result once it is committed and applied on this node (R-CLIENT-2).
     * Encode with {@link KvProposalCodec#encode} and decode the bytes
     * {@link KvStateMachine#apply} returned with {@link KvResultCodec#decode}. A backend on the
     * leader may re-stamp the time with {@link KvProposal#withLeaderTimeMs}.
     */
    CompletableFuture<KvResult> write(KvProposal proposal);

    /**
     * Completes once this node's state machine may serve a read in {@code mode}: for
     * {@link ReadMode#LINEARIZABLE} after a ReadIndex round and once the read index is applied,
     * for {@link ReadMode#LEASE} under a valid lease, for {@link ReadMode#STALE} at once.
     */
    CompletableFuture<Void> readBarrier(ReadMode mode);

    /** The local state machine, read through {@link KvStateMachine#readView()} after a barrier. */
    KvStateMachine stateMachine();

    /**
     * The node's Raft status for INFO's {@code # Raft} section, as ordered {@code field -> value}
     * pairs: at least raft_role, raft_term, raft_leader_id, raft_leader_addr, raft_commit_index,
     * raft_applied_index. Cheap and non-blocking; called on a network thread.
     */
    Map<String, String> raftInfo();

    /**
     * Runs a cluster administration request ({@code RAFT ...}) on the node: a leadership transfer
     * or a single-server membership change. Completes with the reply text; fails with a
     * {@link KvBackendException} (not the leader, no leader, busy) for what may be retried, or an
     * {@link IllegalArgumentException} for a request that can never succeed as asked.
     * Backends without a cluster (tests) refuse it.
     */
    default CompletableFuture<String> administer(AdminRequest request) {
        return CompletableFuture.failedFuture(new IllegalArgumentException("this server has no cluster to administer"));
    }
}
