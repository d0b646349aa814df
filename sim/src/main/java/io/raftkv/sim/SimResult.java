package io.raftkv.sim;

/**
 * The outcome of one simulated run.
 *
 * @param seed                  the seed that replays it
 * @param events                events processed
 * @param simulatedMillis       simulated time at the end
 * @param property              the property that broke, or null
 * @param violation             what broke, or null for a clean run
 * @param trace                 the last events before the failure and the nodes' state; empty if clean
 * @param terms                 terms that had a leader
 * @param committed             highest index committed
 * @param operations            client operations in the history (completed or unknown)
 * @param completedOperations   client operations that completed
 * @param faults                faults injected
 * @param leaderAfterHealMillis simulated time from healing to a stable, caught-up leader; -1 if none
 * @param snapshotsTaken        snapshots nodes took of their state machines
 * @param snapshotsInstalled    snapshots followers installed from a leader
 * @param tornWrites            crashes that left a prefix of an in-flight write on disk
 * @param leaseReads            reads served through the leader's lease
 * @param membership            membership changes and leadership transfers the run made
 * @param wallNanos             wall-clock time the run took
 */
public record SimResult(long seed, long events, long simulatedMillis, String property, String violation, String trace,
                        int terms, long committed, int operations, int completedOperations, int faults,
                        long leaderAfterHealMillis, long snapshotsTaken, long snapshotsInstalled, long tornWrites,
                        long leaseReads, MembershipCounts membership,
                        long wallNanos) {
    public boolean ok() {
        return violation == null;
    }
}
