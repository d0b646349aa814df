package io.raftkv.node;

import io.raftkv.core.ConfigChange;
import io.raftkv.core.NodeId;
import io.raftkv.core.ProposeResult;
import io.raftkv.core.RaftCore;
import io.raftkv.core.RaftRole;
import io.raftkv.core.TransferResult;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Membership changes and leadership transfers requested of this node, on the Raft loop thread.
 * A change completes when its configuration entry commits, like a command (thesis §4.1); a
 * transfer completes when this server stops leading, and fails if the core aborts it after an
 * election timeout (thesis §3.10). Only the leader takes either: a follower answers
 * {@link RaftNodeException.NotLeader} naming the leader, and the caller retries there.
 */
final class MembershipRequests {
    private record Transfer(NodeId target, long term, CompletableFuture<NodeId> future) {}

    private final List<Transfer> transfers = new ArrayList<>();

    void change(RaftCore core, ConfigChange change, PendingProposals proposals, long deadline,
                CompletableFuture<MembershipOutcome> future) {
        ProposeResult result = core.proposeConfigChange(change);
        if (result instanceof ProposeResult.Accepted accepted) {
            CompletableFuture<byte[]> committed = new CompletableFuture<>();
            committed.whenComplete((ignored, error) -> {
                if (error != null) {
                    future.completeExceptionally(error);
                } else {
                    future.complete(MembershipOutcome.CHANGED);
                }
            });
            proposals.add(accepted.index(), accepted.term(), 0, deadline, committed);
        } else if (result instanceof ProposeResult.AlreadyDone) {
            future.complete(MembershipOutcome.ALREADY_DONE);
        } else if (result instanceof ProposeResult.NotLeader notLeader) {
            future.completeExceptionally(notLeader(notLeader.leaderHint()));
        } else if (result instanceof ProposeResult.TransferInProgress transfer) {
            future.completeExceptionally(new RaftNodeException.Busy(
                    "leadership is being transferred to " + transfer.target() + "; retry"));
        } else if (result instanceof ProposeResult.ConfigChangeRefused refused) {
            String text = change + " refused: " + describe(refused.reason());
            future.completeExceptionally(refused.reason().retryable() ? new RaftNodeException.Busy(text)
                    : new RaftNodeException.Rejected(text));
        } else {
            future.completeExceptionally(new IllegalStateException("unexpected result " + result));
        }
    }

    private static String describe(ProposeResult.Reason reason) {
        return switch (reason) {
            case CHANGE_PENDING -> "another membership change is not committed yet; retry";
            case LEADER_NOT_READY -> "the leader has not committed an entry of its term yet; retry";
            case NOT_A_LEARNER -> "the server is not a learner; add it first";
            case NOT_CAUGHT_UP -> "the learner has not caught up with the leader yet; retry";
            case LAST_VOTER -> "it is the only voter";
        };
    }

    void transfer(RaftCore core, NodeId target, CompletableFuture<NodeId> future) {
        TransferResult result = core.transferLeadership(target);
        if (result instanceof TransferResult.Started) {
            transfers.add(new Transfer(target, core.currentTerm(), future));
        } else if (result instanceof TransferResult.AlreadyLeader) {
            future.complete(target);
        } else if (result instanceof TransferResult.NotLeader notLeader) {
            future.completeExceptionally(notLeader(notLeader.leaderHint()));
        } else if (result instanceof TransferResult.TargetNotVoter notVoter) {
            future.completeExceptionally(new RaftNodeException.Rejected(
                    notVoter.target() + " is not a voter; only a voter can lead"));
        } else if (result instanceof TransferResult.TransferInProgress running) {
            future.completeExceptionally(new RaftNodeException.Busy(
                    "a transfer to " + running.target() + " is running; retry"));
        }
    }

    /** After every turn of the loop: settles transfers that ended. */
    void check(RaftCore core) {
        transfers.removeIf(t -> {
            if (core.role() != RaftRole.LEADER || core.currentTerm() != t.term()) {
                // Leadership moved on (thesis §3.10): usually to the target; report who leads if known.
                t.future().complete(core.leaderId() != null ? core.leaderId() : t.target());
                return true;
            }
            if (core.transferTarget() == null) {
                t.future().completeExceptionally(new RaftNodeException.Busy("the transfer to " + t.target()
                        + " was aborted: it did not take over within an election timeout; this node still leads"));
                return true;
            }
            return false;
        });
    }

    void failAll(RaftNodeException reason) {
        transfers.forEach(t -> t.future().completeExceptionally(reason));
        transfers.clear();
    }

    private static RaftNodeException notLeader(NodeId hint) {
        return new RaftNodeException.NotLeader(hint == null ? "no leader is known; retry"
                : "not the leader; the leader is " + hint, hint == null ? null : hint.value());
    }
}
