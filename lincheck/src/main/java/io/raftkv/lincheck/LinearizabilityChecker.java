package io.raftkv.lincheck;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Checks whether a history of operations is linearizable with respect to a {@link Model}.
 *
 * <p>The history is split with {@link Model#partition}; each partition is then searched
 * independently (Horn &amp; Kroening 2015) with the memoized depth-first search of
 * Wing &amp; Gong (1993) and Lowe (2017), as popularised by Porcupine; see
 * {@link PartitionSearch} for the details. The partitions are searched in the calling thread,
 * interleaved by a {@link Scheduler} with doubling step budgets, so that one hard partition
 * cannot hide an easy violation elsewhere; verdicts are deterministic apart from timeouts.
 *
 * <p><b>Conventions.</b> Operation A must precede B only if {@code A.returnTime < B.callTime};
 * touching intervals are concurrent. An operation with an unknown outcome
 * ({@link Operation#unknown}) may take effect anywhere after its call or not at all; unknown
 * operations the model declares read-only ({@link Model#isReadOnly}) are therefore ignored.
 *
 * <p><b>Bounded.</b> All partitions share one time budget, checked every
 * {@value PartitionSearch#CHECK_INTERVAL} search steps; a partition not finished in time gets
 * {@link Verdict#UNKNOWN}. A partition found illegal is a definite answer, so once one is found
 * the checker finishes the current round and gives up on the partitions still running (they
 * are reported as UNKNOWN). Memory grows with the number of distinct configurations visited,
 * which the time budget also bounds in practice.
 *
 * <p>Stateless: concurrent calls from different threads are fine.
 */
public final class LinearizabilityChecker {

    private LinearizabilityChecker() {
    }

    /**
     * Checks a history.
     *
     * @param model   sequential specification
     * @param history the operations, in any order
     * @param timeout time budget for the whole check
     * @param <S>     model state type
     * @return the verdict with per-partition explanations
     */
    public static <S> CheckResult check(Model<S> model, List<Operation> history,
                                        Duration timeout) {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(timeout, "timeout");
        long startNanos = System.nanoTime();
        Deadline deadline = new Deadline(timeout);
        List<Partition> partitions = model.partition(List.copyOf(history));
        checkCoverage(history, partitions);

        List<Operation[]> relevant = new ArrayList<>(partitions.size());
        List<PartitionSearch<S>> searches = new ArrayList<>(partitions.size());
        for (Partition p : partitions) {
            Operation[] ops = relevantOperations(model, p.operations());
            relevant.add(ops);
            searches.add(new PartitionSearch<>(model, ops, deadline));
        }
        PartitionSearch.Outcome[] outcomes = new Scheduler<>(searches, deadline).run();

        Explainer<S> explainer = new Explainer<>(model);
        PartitionResult[] results = new PartitionResult[partitions.size()];
        for (int i = 0; i < results.length; i++) {
            Partition p = partitions.get(i);
            results[i] = explainer.result(p.name(), relevant.get(i),
                    p.operations().size(), outcomes[i]);
        }

        List<PartitionResult> list = Arrays.asList(results);
        Verdict verdict = list.stream().anyMatch(r -> r.verdict() == Verdict.ILLEGAL)
                ? Verdict.ILLEGAL
                : list.stream().anyMatch(r -> r.verdict() == Verdict.UNKNOWN)
                ? Verdict.UNKNOWN : Verdict.OK;
        return new CheckResult(verdict, new ArrayList<>(list),
                Duration.ofNanos(System.nanoTime() - startNanos));
    }

    /**
     * Checks a history with a time budget in milliseconds.
     *
     * @param model         sequential specification
     * @param history       the operations, in any order
     * @param timeoutMillis time budget for the whole check, in milliseconds
     * @param <S>           model state type
     * @return the verdict with per-partition explanations
     * @see #check(Model, List, Duration)
     */
    public static <S> CheckResult check(Model<S> model, List<Operation> history,
                                        long timeoutMillis) {
        return check(model, history, Duration.ofMillis(timeoutMillis));
    }

    /**
     * Drops unknown read-only operations: they may be left out of any linearization, and leaving
     * them out never invalidates one, so they cannot affect the verdict but would double the
     * search space each.
     */
    private static <S> Operation[] relevantOperations(Model<S> model, List<Operation> ops) {
        return ops.stream()
                .filter(o -> !(o.isUnknown() && model.isReadOnly(o.input(), o.output())))
                .toArray(Operation[]::new);
    }

    private static void checkCoverage(List<Operation> history, List<Partition> partitions) {
        int total = partitions.stream().mapToInt(p -> p.operations().size()).sum();
        if (total != history.size()) {
            throw new IllegalStateException("model partitioned " + history.size()
                    + " operations into partitions holding " + total);
        }
    }
}
