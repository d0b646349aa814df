package io.raftkv.verify.check;

import io.raftkv.verify.history.Op;
import io.raftkv.verify.history.Workload;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Collects what a checker finds while it works through a history: violations, things it could
 * not check, and the evidence of the first violation.
 *
 * <p>Only the first {@value #MAX_PROBLEMS} problems of each kind are kept as text, so that a
 * history broken in one place that every later op trips over does not produce a report of
 * thousands of near-identical lines; the rest are only counted.
 */
final class Findings {

    /** How many problems are listed before the rest is summarised as "and N more". */
    static final int MAX_PROBLEMS = 20;

    private static final Comparator<Op> BY_INVOCATION =
            Comparator.comparingLong(Op::invokeNanos).thenComparingLong(Op::index);

    private final List<String> violationTexts = new ArrayList<>();
    private final List<String> inconclusiveTexts = new ArrayList<>();
    private int violations;
    private int inconclusive;
    private List<Op> evidence = List.of();

    /**
     * Records a broken rule. The first call's ops become the verdict's evidence.
     *
     * @param problem  what is wrong, naming the ops
     * @param evidence the ops that together demonstrate it
     */
    void violation(String problem, Op... evidence) {
        violations++;
        if (this.evidence.isEmpty()) {
            Op[] sorted = Arrays.stream(evidence).distinct().sorted(BY_INVOCATION).toArray(Op[]::new);
            this.evidence = List.of(sorted);
        }
        if (violationTexts.size() < MAX_PROBLEMS) {
            violationTexts.add(problem);
        }
    }

    /**
     * Records something that could not be checked.
     *
     * @param problem why
     */
    void inconclusive(String problem) {
        inconclusive++;
        if (inconclusiveTexts.size() < MAX_PROBLEMS) {
            inconclusiveTexts.add(problem);
        }
    }

    /** How many violations were recorded so far. */
    int violations() {
        return violations;
    }

    /** INVALID after any violation, else UNKNOWN after anything inconclusive, else VALID. */
    Validity validity() {
        return violations > 0 ? Validity.INVALID : inconclusive > 0 ? Validity.UNKNOWN : Validity.VALID;
    }

    /**
     * The verdict: violations first, then what could not be checked, capped at
     * {@value #MAX_PROBLEMS} lines plus one saying how many more there were.
     */
    WorkloadVerdict verdict(Workload workload, String summary) {
        List<String> all = new ArrayList<>(violationTexts);
        all.addAll(inconclusiveTexts);
        int total = violations + inconclusive;
        List<String> shown = new ArrayList<>(all.subList(0, Math.min(MAX_PROBLEMS, all.size())));
        if (total > shown.size()) {
            shown.add("... and " + (total - shown.size()) + " more");
        }
        Validity validity = validity();
        return new WorkloadVerdict(workload, validity, summary, shown,
                validity == Validity.INVALID ? evidence : List.of());
    }
}
