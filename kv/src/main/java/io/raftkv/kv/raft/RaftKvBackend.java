package io.raftkv.kv.raft;

import io.raftkv.core.ClusterConfig;
import io.raftkv.core.ConfigChange;
import io.raftkv.core.NodeId;
import io.raftkv.core.RaftRole;
import io.raftkv.kv.AdminRequest;
import io.raftkv.kv.KvBackend;
import io.raftkv.kv.KvBackendException;
import io.raftkv.kv.KvProposal;
import io.raftkv.kv.KvProposalCodec;
import io.raftkv.kv.KvResult;
import io.raftkv.kv.KvResultCodec;
import io.raftkv.kv.KvStateMachine;
import io.raftkv.kv.ReadMode;
import io.raftkv.node.HostPort;
import io.raftkv.node.MembershipOutcome;
import io.raftkv.node.NodeStatus;
import io.raftkv.node.RaftNode;
import io.raftkv.node.RaftNodeException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * The key-value store's backend on a real {@link RaftNode}: writes are proposed through Raft (a
 * follower forwards them to the leader), reads wait for the chosen barrier, and INFO reports the
 * node's Raft state. Node failures are translated into the KV error codes, keeping the distinction
 * between "certainly not applied" and "outcome unknown".
 */
public final class RaftKvBackend implements KvBackend {
    private final RaftNode node;
    private final KvStateMachine stateMachine;

    public RaftKvBackend(RaftNode node, KvStateMachine stateMachine) {
        this.node = node;
        this.stateMachine = stateMachine;
    }

    @Override
    public CompletableFuture<KvResult> write(KvProposal proposal) {
        return node.propose(KvProposalCodec.encode(proposal))
                .handle((bytes, error) -> {
                    if (error != null) {
                        throw translate(error);
                    }
                    return KvResultCodec.decode(bytes);
                });
    }

    @Override
    public CompletableFuture<Void> readBarrier(ReadMode mode) {
        CompletableFuture<Long> barrier = switch (mode) {
            case LINEARIZABLE -> node.readBarrier();
            case LEASE -> node.leaseReadBarrier();
            case STALE -> CompletableFuture.completedFuture(0L);
        };
        return barrier.handle((index, error) -> {
            if (error != null) {
                throw translate(error);
            }
            return null;
        });
    }

    @Override
    public CompletableFuture<String> administer(AdminRequest request) {
        NodeId target;
        try {
            target = NodeId.of(request.node());
        } catch (IllegalArgumentException e) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("bad node id: " + e.getMessage()));
        }
        CompletableFuture<String> done;
        if (request instanceof AdminRequest.TransferLeader) {
            done = node.transferLeadership(target).thenApply(leader -> "OK leader=" + leader);
        } else {
            ConfigChange change;
            try {
                change = configChange(request, target);
            } catch (IllegalArgumentException e) {
                return CompletableFuture.failedFuture(e);
            }
            done = node.changeMembership(change)
                    .thenApply(outcome -> outcome == MembershipOutcome.CHANGED ? "OK" : "OK already done");
        }
        return done.handle((text, error) -> {
            if (error == null) {
                return text;
            }
            Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
            if (cause instanceof RaftNodeException.Rejected rejected) {
                throw new IllegalArgumentException(rejected.getMessage());
            }
            throw translate(cause);
        });
    }

    private ConfigChange configChange(AdminRequest request, NodeId target) {
        if (request instanceof AdminRequest.AddLearner add) {
            try {
                HostPort.parse(add.raftAddress());
                ClusterConfig.checkAddress(add.raftAddress());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("bad Raft address for " + target + ": " + e.getMessage());
            }
            // Adding a member again is a no-op (idempotent); at another address it is a mistake,
            // since peers would keep dialling the old one: remove the member first.
            String known = node.status().memberAddresses().get(target);
            if (known != null && !known.equals(add.raftAddress())) {
                throw new IllegalArgumentException(target + " is already a member with Raft address " + known
                        + "; remove it first to add it at " + add.raftAddress());
            }
            return new ConfigChange.AddLearner(target, add.raftAddress());
        }
        return request instanceof AdminRequest.Promote ? new ConfigChange.PromoteLearner(target)
                : new ConfigChange.RemoveServer(target);
    }

    @Override
    public KvStateMachine stateMachine() {
        return stateMachine;
    }

    @Override
    public Map<String, String> raftInfo() {
        NodeStatus status = node.status();
        Map<String, String> info = new LinkedHashMap<>();
        info.put("raft_node_id", status.id().value());
        info.put("raft_role", roleName(status.role()));
        info.put("raft_term", Long.toString(status.term()));
        NodeId leader = status.leaderId();
        info.put("raft_leader_id", leader == null ? "" : leader.value());
        String leaderAddress = leader == null ? null : node.clientAddressOf(leader);
        info.put("raft_leader_addr", leaderAddress == null ? "" : leaderAddress);
        info.put("raft_commit_index", Long.toString(status.commitIndex()));
        info.put("raft_applied_index", Long.toString(status.appliedIndex()));
        info.put("raft_last_index", Long.toString(status.lastIndex()));
        info.put("raft_snapshot_index", Long.toString(status.snapshotIndex()));
        info.put("raft_voters", String.join(",", status.voters().stream().map(NodeId::value).toList()));
        info.put("raft_learners", String.join(",", status.learners().stream().map(NodeId::value).toList()));
        info.put("raft_member_addrs", String.join(",", status.memberAddresses().entrySet().stream()
                .map(e -> e.getKey().value() + "=" + e.getValue()).toList()));
        status.matchIndex().forEach((peer, match) -> info.put("raft_match_index_" + peer.value(), Long.toString(match)));
        status.lastContactMillis().forEach((peer, ms) -> info.put("raft_last_contact_ms_" + peer.value(),
                Long.toString(ms)));
        String failure = node.failure();
        if (failure != null) {
            info.put("raft_failure", failure);
        }
        return info;
    }

    private static String roleName(RaftRole role) {
        return switch (role) {
            case PRE_CANDIDATE, CANDIDATE -> "candidate";
            default -> role.name().toLowerCase(Locale.ROOT);
        };
    }

    private KvBackendException translate(Throwable error) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        if (cause instanceof RaftNodeException.NotLeader notLeader) {
            String leader = notLeader.leaderId();
            if (leader == null) {
                return new KvBackendException.NoLeader(notLeader.getMessage());
            }
            return new KvBackendException.NotLeader(leader, node.clientAddressOf(NodeId.of(leader)));
        } else if (cause instanceof RaftNodeException.Busy busy) {
            return new KvBackendException.Busy(busy.getMessage());
        } else if (cause instanceof RaftNodeException.Stopped stopped) {
            return stopped.certainlyNotApplied() ? new KvBackendException.Stopped(stopped.getMessage())
                    : new KvBackendException.UnknownOutcome(stopped.getMessage());
        } else if (cause instanceof KvBackendException kv) {
            return kv;
        }
        // UnknownOutcome, Rejected (the KV state machine reports its errors as results, so a
        // rejection means something unexpected), or anything else: the command may have been applied.
        return new KvBackendException.UnknownOutcome(String.valueOf(cause.getMessage()));
    }
}
