package io.raftkv.sim;

/**
 * What the simulated operator did to the cluster's membership (thesis ch. 4, §3.10), so a report
 * shows that the paths were taken.
 *
 * @param seedsWithChanges     seeds that ran membership changes
 * @param learnersAdded        AddLearner changes the leader accepted
 * @param promotions           PromoteLearner changes accepted (only for caught-up learners)
 * @param removals             RemoveServer changes accepted, the leader's own included
 * @param leaderRemovals       of those, leaders that removed themselves (thesis §4.2.2)
 * @param transfersStarted     leadership transfers started (thesis §3.10)
 * @param transfersCompleted   transfers after which the target was seen leading
 * @param refusedPending       changes refused because another was uncommitted (R-MEMB-1)
 * @param refusedNotCaughtUp   promotions refused because the learner had not caught up (thesis §4.2.1)
 * @param refusedOther         changes refused otherwise (leader not ready, transfer running, ...)
 * @param alreadyDone          changes that were already in effect (idempotence)
 */
public record MembershipCounts(long seedsWithChanges, long learnersAdded, long promotions, long removals,
                               long leaderRemovals, long transfersStarted, long transfersCompleted, long refusedPending,
                               long refusedNotCaughtUp, long refusedOther, long alreadyDone) {
    public static final MembershipCounts NONE = new MembershipCounts(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);

    public MembershipCounts plus(MembershipCounts o) {
        return new MembershipCounts(seedsWithChanges + o.seedsWithChanges, learnersAdded + o.learnersAdded,
                promotions + o.promotions, removals + o.removals, leaderRemovals + o.leaderRemovals,
                transfersStarted + o.transfersStarted, transfersCompleted + o.transfersCompleted,
                refusedPending + o.refusedPending, refusedNotCaughtUp + o.refusedNotCaughtUp,
                refusedOther + o.refusedOther, alreadyDone + o.alreadyDone);
    }

    @Override
    public String toString() {
        return seedsWithChanges + " seeds with membership changes: " + learnersAdded + " learners added, " + promotions
                + " promoted, " + removals + " servers removed (" + leaderRemovals + " leaders removing themselves), "
                + transfersStarted + " leadership transfers (" + transfersCompleted + " completed); refused: "
                + refusedPending + " while another change was pending, " + refusedNotCaughtUp
                + " promotions before catch-up, " + refusedOther + " other; " + alreadyDone + " already done";
    }
}
