package io.raftkv.lincheck;

import java.util.ArrayList;
import java.util.List;

/**
 * Runs the searches of independent partitions (Horn &amp; Kroening 2015) in rounds, giving each
 * unfinished search a step budget that doubles every round. Total work is at most a small
 * constant factor above running them one by one, but an easy-to-find violation in one partition
 * is found even if another partition is very expensive. Once a round finds an illegal partition
 * the remaining searches are abandoned: the overall verdict is already known (Porcupine likewise
 * stops its partition workers at the first failure).
 */
final class Scheduler<S> {

    static final long FIRST_ROUND_STEPS = 1 << 14;

    private final List<PartitionSearch<S>> searches;
    private final Deadline deadline;

    Scheduler(List<PartitionSearch<S>> searches, Deadline deadline) {
        this.searches = searches;
        this.deadline = deadline;
    }

    /** Runs all searches to completion, timeout or abandonment; outcomes in input order. */
    PartitionSearch.Outcome[] run() {
        int n = searches.size();
        PartitionSearch.Outcome[] outcomes = new PartitionSearch.Outcome[n];
        List<Integer> running = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            running.add(i);
        }
        boolean illegalFound = false;
        long budget = FIRST_ROUND_STEPS;
        while (!running.isEmpty()) {
            if (illegalFound || deadline.expired()) {
                PartitionSearch.Cutoff why = illegalFound
                        ? PartitionSearch.Cutoff.ABANDONED : PartitionSearch.Cutoff.TIMEOUT;
                for (int i : running) {
                    outcomes[i] = searches.get(i).abandon(why);
                }
                break;
            }
            List<Integer> stillRunning = new ArrayList<>();
            for (int i : running) {
                PartitionSearch.Outcome outcome = searches.get(i).resume(budget);
                if (outcome == null) {
                    stillRunning.add(i);
                } else {
                    outcomes[i] = outcome;
                    illegalFound |= outcome.verdict() == Verdict.ILLEGAL;
                }
            }
            running = stillRunning;
            budget = Math.min(budget * 2, Long.MAX_VALUE / 4);
        }
        return outcomes;
    }
}
