package io.raftkv.lincheck;

import java.util.List;

/**
 * The verdict for one {@link Partition} of a history, with the evidence behind it.
 *
 * <p>For {@link Verdict#ILLEGAL} the checker reports the deepest dead end of its search (as
 * Porcupine's visualisation does): the longest sequence of operations it could linearize, the
 * operation that then had to take effect (its return time had been reached) but could not, and
 * every operation that could have gone next at that point. For {@link Verdict#UNKNOWN} only the
 * longest prefix found before the timeout is given.
 *
 * @param partition         partition name, e.g. {@code key=x}
 * @param verdict           the verdict for this partition
 * @param operationCount    number of operations in the partition
 * @param longestPrefix     the longest linearizable prefix found, in linearization order (empty
 *                          when the verdict is OK: the whole partition linearizes)
 * @param blockingOperation for ILLEGAL: the operation that could not be linearized after
 *                          {@code longestPrefix}; otherwise {@code null}
 * @param candidates        for ILLEGAL: the operations that could have been linearized next
 *                          after the prefix (including {@code blockingOperation}); none of them
 *                          leads to a full linearization
 * @param searchSteps       number of search steps spent on this partition
 * @param explanation       a readable multi-line rendering of all of the above
 */
public record PartitionResult(String partition, Verdict verdict, int operationCount,
                              List<Operation> longestPrefix, Operation blockingOperation,
                              List<Operation> candidates, long searchSteps, String explanation) {

    /** Copies the lists. */
    public PartitionResult {
        longestPrefix = List.copyOf(longestPrefix);
        candidates = List.copyOf(candidates);
    }

    @Override
    public String toString() {
        return explanation;
    }
}
