package io.raftkv.lincheck;

import java.time.Duration;
import java.util.List;

/**
 * The result of {@link LinearizabilityChecker#check}: an overall {@link Verdict} and the result of
 * every partition. The overall verdict is {@link Verdict#ILLEGAL} if any partition is illegal
 * (Horn &amp; Kroening's P-compositionality), otherwise {@link Verdict#UNKNOWN} if any partition
 * timed out, otherwise {@link Verdict#OK}.
 *
 * @param verdict    overall verdict
 * @param partitions per-partition results, in the order the model produced the partitions
 * @param elapsed    wall-clock time spent checking
 */
public record CheckResult(Verdict verdict, List<PartitionResult> partitions, Duration elapsed) {

    /** Copies the list. */
    public CheckResult {
        partitions = List.copyOf(partitions);
    }

    /**
     * Whether the history is linearizable.
     *
     * @return {@code verdict() == OK}
     */
    public boolean isLinearizable() {
        return verdict == Verdict.OK;
    }

    /**
     * The partitions that are not linearizable.
     *
     * @return the ILLEGAL partition results, possibly empty
     */
    public List<PartitionResult> failures() {
        return partitions.stream().filter(p -> p.verdict() == Verdict.ILLEGAL).toList();
    }

    /**
     * A readable report: a summary line, then the explanation of every partition that is not
     * OK (illegal ones first).
     *
     * @return multi-line text
     */
    public String explain() {
        StringBuilder sb = new StringBuilder(summary()).append('\n');
        for (Verdict v : List.of(Verdict.ILLEGAL, Verdict.UNKNOWN)) {
            for (PartitionResult p : partitions) {
                if (p.verdict() == v) {
                    sb.append('\n').append(p.explanation());
                }
            }
        }
        return sb.toString();
    }

    private String summary() {
        long illegal = partitions.stream().filter(p -> p.verdict() == Verdict.ILLEGAL).count();
        long unknown = partitions.stream().filter(p -> p.verdict() == Verdict.UNKNOWN).count();
        int ops = partitions.stream().mapToInt(PartitionResult::operationCount).sum();
        return String.format("%s: %d operations in %d partitions (%d illegal, %d timed out),"
                        + " checked in %d ms", verdict, ops, partitions.size(), illegal, unknown,
                elapsed.toMillis());
    }

    @Override
    public String toString() {
        return summary();
    }
}
