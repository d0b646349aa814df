package io.raftkv.sim;

/** Counters of what a run exercised, so a report shows that the interesting paths were taken. */
final class SimStats {
    long snapshotsTaken;
    long snapshotsInstalled;
    long tornWrites;
    long leaseReads;
    // Membership (thesis ch. 4, §3.10); see MembershipCounts.
    boolean membershipChanges;
    long learnersAdded;
    long promotions;
    long removals;
    long leaderRemovals;
    long transfersStarted;
    long transfersCompleted;
    long refusedPending;
    long refusedNotCaughtUp;
    long refusedOther;
    long alreadyDone;

    MembershipCounts membership() {
        return new MembershipCounts(membershipChanges ? 1 : 0, learnersAdded, promotions, removals, leaderRemovals,
                transfersStarted, transfersCompleted, refusedPending, refusedNotCaughtUp, refusedOther, alreadyDone);
    }
}
