package io.raftkv.verify.check;

import io.raftkv.verify.history.Fn;
import io.raftkv.verify.history.Op;
import io.raftkv.verify.history.Outcome;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The counter rules for one key; see {@link CounterChecker}. Everything is a sort followed by
 * binary searches or one sweep, so a key with 100k ops takes milliseconds.
 *
 * <p>The bounds count increments: by the time an op is invoked, every increment acknowledged
 * before then has taken effect, so the counter is at least their number; by the time it completes,
 * at most the increments invoked so far (acknowledged or unknown; failed ones never take effect)
 * can have taken effect, so the counter is at most their number.
 */
final class CounterKeyCheck {

    private final String key;
    private final Findings findings;
    /** OK increments with their results, and OK reads with their values; unparsable ones left out. */
    private final List<RealTime.Scored> observations = new ArrayList<>();
    /** Completion times of the acknowledged increments, sorted. */
    private final long[] acknowledgedCompletions;
    /** Invocation times of the increments that may have taken effect, sorted. */
    private final long[] possibleInvocations;
    private final long unknownIncrements;

    CounterKeyCheck(String key, List<Op> ops, Findings findings) {
        this.key = key;
        this.findings = findings;
        List<Op> sorted = new ArrayList<>(ops);
        sorted.sort(Comparator.comparingLong(Op::invokeNanos).thenComparingLong(Op::index));
        for (Op op : sorted) {
            if (op.ok()) {
                Long value = parse(op);
                if (value != null) {
                    observations.add(new RealTime.Scored(op, value));
                }
            }
        }
        acknowledgedCompletions = sorted.stream().filter(op -> op.fn() == Fn.INCR && op.ok())
                .mapToLong(Op::completeNanos).sorted().toArray();
        possibleInvocations = sorted.stream().filter(op -> op.fn() == Fn.INCR && op.outcome() != Outcome.FAIL)
                .mapToLong(Op::invokeNanos).sorted().toArray();
        unknownIncrements = sorted.stream().filter(op -> op.fn() == Fn.INCR && op.outcome() == Outcome.UNKNOWN)
                .count();
    }

    /** Applies every rule, reporting to the findings. */
    void check() {
        checkUniqueResults();
        checkRealTimeOrder();
        checkBounds();
        checkFinalReads();
    }

    /** Each increment returns a different value; one problem per value returned more than once. */
    private void checkUniqueResults() {
        List<RealTime.Scored> increments = new ArrayList<>(observations.stream()
                .filter(s -> s.op().fn() == Fn.INCR).toList());
        increments.sort(Comparator.comparingLong(RealTime.Scored::score));
        int start = 0;
        for (int i = 1; i <= increments.size(); i++) {
            if (i < increments.size() && increments.get(i).score() == increments.get(start).score()) {
                continue;
            }
            if (i - start > 1) {
                List<Op> same = increments.subList(start, i).stream().map(RealTime.Scored::op).toList();
                String listed = same.stream().limit(3).map(OpText::describe).collect(Collectors.joining("; "));
                violation(same.size() + " increments returned " + increments.get(start).score() + ": " + listed
                        + (same.size() > 3 ? "; ..." : ""), same.get(0), same.get(1));
            }
            start = i;
        }
    }

    /** Every value lies between what must and what can have happened by then. */
    private void checkBounds() {
        for (RealTime.Scored s : observations) {
            Op op = s.op();
            long before = countBelow(acknowledgedCompletions, op.invokeNanos());
            long atMost = countAtOrBelow(possibleInvocations, op.completeNanos());
            boolean increment = op.fn() == Fn.INCR;
            long lowest = increment ? before + 1 : before;
            if (s.score() < lowest) {
                violation(OpText.describe(op) + (increment ? " returned " : " read ") + s.score() + ", but at least "
                        + lowest + " was due: " + before + " increment(s) had been acknowledged before it was invoked",
                        op);
            } else if (s.score() > atMost) {
                violation(OpText.describe(op) + (increment ? " returned " : " read ") + s.score()
                        + ", but only " + atMost + " increment(s) had been invoked when it completed", op);
            }
        }
    }

    /**
     * No value goes backwards in real time: an increment returns more, and a read sees at least,
     * what any increment or read completed before it was invoked had seen.
     */
    private void checkRealTimeOrder() {
        RealTime.sweep(observations, observations, (later, earlier) -> {
            if (earlier == null) {
                return;
            }
            boolean increment = later.op().fn() == Fn.INCR;
            if (increment ? earlier.score() >= later.score() : earlier.score() > later.score()) {
                violation(OpText.describe(later.op()) + (increment ? " returned " : " read ") + later.score()
                        + ", but " + OpText.describe(earlier.op())
                        + (earlier.op().fn() == Fn.INCR ? " had returned " : " had read ") + earlier.score()
                        + " before it was invoked", earlier.op(), later.op());
            }
        });
    }

    /** After the faults, the counter holds every acknowledged increment and some unknown ones. */
    private void checkFinalReads() {
        long acknowledged = acknowledgedCompletions.length;
        List<RealTime.Scored> finals = observations.stream()
                .filter(s -> s.op().fn() == Fn.READ && s.op().isFinal()).toList();
        if (finals.isEmpty()) {
            if (acknowledged > 0) {
                findings.inconclusive("key " + key + ": no final read succeeded, so whether its " + acknowledged
                        + " acknowledged increments survived is unknown");
            }
            return;
        }
        for (RealTime.Scored s : finals) {
            if (s.score() < acknowledged || s.score() > acknowledged + unknownIncrements) {
                violation("final " + OpText.describe(s.op()) + " read " + s.score() + ", outside ["
                        + acknowledged + ", " + (acknowledged + unknownIncrements) + "]: " + acknowledged
                        + " increment(s) were acknowledged and " + unknownIncrements + " unknown", s.op());
            }
        }
    }

    /** The op's value, or null (reported) if it is not a number; a missing key reads as 0. */
    private Long parse(Op op) {
        if (op.result() == null && op.fn() == Fn.READ) {
            return 0L;
        }
        try {
            return Long.parseLong(op.result());
        } catch (NumberFormatException e) {
            violation(OpText.describe(op) + " returned \"" + op.result() + "\", which is not a number", op);
            return null;
        }
    }

    /** How many of the sorted times are strictly below the bound. */
    private static long countBelow(long[] sorted, long bound) {
        int i = Arrays.binarySearch(sorted, bound);
        if (i < 0) {
            return -i - 1;
        }
        while (i > 0 && sorted[i - 1] == bound) {
            i--;
        }
        return i;
    }

    /** How many of the sorted times are at or below the bound. */
    private static long countAtOrBelow(long[] sorted, long bound) {
        return bound == Long.MAX_VALUE ? sorted.length : countBelow(sorted, bound + 1);
    }

    private void violation(String problem, Op... evidence) {
        findings.violation("key " + key + ": " + problem, evidence);
    }
}
