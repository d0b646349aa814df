package io.raftkv.core;

import java.util.Optional;
import java.util.function.Predicate;

/**
 * The rules a leader applies before appending a single-server configuration change (thesis ch. 4,
 * R-MEMB-1..2). Pure: it reads what it is given and changes nothing. The caller has already checked
 * that it leads and is not transferring leadership.
 */
final class MembershipChanges {
    private MembershipChanges() {}

    /**
     * Why {@code change} may not be appended now, or empty if it may.
     *
     * @param current         the configuration in force on the leader
     * @param changePending   the entry of {@code current} is not committed yet
     * @param committedInTerm the leader has committed an entry of its own term
     * @param caughtUp        whether a learner has caught up (thesis §4.2.1)
     */
    static Optional<ProposeResult> refusal(ConfigChange change, ClusterConfig current, boolean changePending,
                                           boolean committedInTerm, Predicate<NodeId> caughtUp, SafetyRules rules) {
        // Thesis §4.1: one change at a time; the next waits until the previous one is committed, so any
        // two configurations in use at once differ by one server and their majorities overlap.
        if (changePending && rules.configChangeWaitsForCommit()) {
            return refused(ProposeResult.Reason.CHANGE_PENDING);
        }
        ClusterConfig next = change.applyTo(current);
        if (next.equals(current)) {
            if (change instanceof ConfigChange.PromoteLearner && !current.isMember(change.node())) {
                return refused(ProposeResult.Reason.NOT_A_LEARNER);
            }
            if (change instanceof ConfigChange.RemoveServer && current.isVoter(change.node())) {
                return refused(ProposeResult.Reason.LAST_VOTER);
            }
            // Idempotent: the committed configuration already says so (R-OPS: retried commands are harmless).
            return Optional.of(new ProposeResult.AlreadyDone(current));
        }
        // Thesis §4.1 (the 2015 correction): a new leader may hold an uncommitted change of an earlier
        // leader that other servers lack; appending its own change on top could make two configurations
        // that differ by two servers. Committing an entry of its term first settles the earlier one.
        if (!committedInTerm) {
            return refused(ProposeResult.Reason.LEADER_NOT_READY);
        }
        // Thesis §4.2.1: a voter that lags would be needed for commitment while it catches up.
        if (change instanceof ConfigChange.PromoteLearner && !caughtUp.test(change.node())) {
            return refused(ProposeResult.Reason.NOT_CAUGHT_UP);
        }
        return Optional.empty();
    }

    private static Optional<ProposeResult> refused(ProposeResult.Reason reason) {
        return Optional.of(new ProposeResult.ConfigChangeRefused(reason));
    }
}
