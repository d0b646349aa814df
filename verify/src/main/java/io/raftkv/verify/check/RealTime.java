package io.raftkv.verify.check;

import io.raftkv.verify.history.Op;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.BiConsumer;

/**
 * The real-time half of the checkers' rules, done in O(n log n): for every target op, the source
 * op with the greatest score among those that completed before the target was invoked.
 *
 * <p>"Completed before" is strict ({@code source.completeNanos < target.invokeNanos}), as in
 * lincheck: ops whose intervals merely touch are concurrent, and either may take effect first.
 */
final class RealTime {

    /**
     * An op with the number a rule compares, e.g. a list read's length or a counter's value.
     *
     * @param op    the op
     * @param score the number
     */
    record Scored(Op op, long score) {
    }

    private RealTime() {
    }

    /**
     * Calls {@code visit(target, best)} for every target, in invocation order, where
     * {@code best} is the highest-scoring source completed before the target was invoked (the
     * earliest completed of equal ones), or null if none was.
     *
     * @param sources ops that constrain what comes after them
     * @param targets ops to check
     * @param visit   the rule
     */
    static void sweep(List<Scored> sources, List<Scored> targets, BiConsumer<Scored, Scored> visit) {
        List<Scored> byCompletion = new ArrayList<>(sources);
        byCompletion.sort(Comparator.comparingLong((Scored s) -> s.op().completeNanos()));
        List<Scored> byInvocation = new ArrayList<>(targets);
        byInvocation.sort(Comparator.comparingLong((Scored s) -> s.op().invokeNanos())
                .thenComparingLong(s -> s.op().index()));
        Scored best = null;
        int next = 0;
        for (Scored target : byInvocation) {
            long invoke = target.op().invokeNanos();
            while (next < byCompletion.size() && byCompletion.get(next).op().completeNanos() < invoke) {
                Scored source = byCompletion.get(next++);
                if (best == null || source.score() > best.score()) {
                    best = source;
                }
            }
            visit.accept(target, best);
        }
    }
}
