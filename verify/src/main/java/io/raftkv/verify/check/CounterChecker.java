package io.raftkv.verify.check;

import io.raftkv.verify.history.Fn;
import io.raftkv.verify.history.Op;
import io.raftkv.verify.history.Outcome;
import io.raftkv.verify.history.Workload;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks the counter workload: INCR, whose result is the new value, and GET. A correct counter is
 * linearizable, but checking that by search would be hopeless at 100k ops; these necessary
 * conditions (in the spirit of Jepsen's counter checker, with INCR results as extra reads) catch
 * lost, duplicated and reordered increments and stale reads, in O(n log n). Per key, where
 * "before" means "completed before the other was invoked":
 * <ul>
 *   <li>the results of acknowledged increments are unique;</li>
 *   <li>an increment returns more than any increment or read before it returned or saw, and a
 *       read sees at least as much;</li>
 *   <li>an increment returns at least one more than the number of increments acknowledged
 *       before it, and a read at least that number; neither exceeds the number of increments
 *       (acknowledged or unknown) invoked before it completed;</li>
 *   <li>a final read (after all faults healed) lies between the number of acknowledged
 *       increments and that plus the unknown ones.</li>
 * </ul>
 * A key with acknowledged increments but no successful final read makes the verdict UNKNOWN at best.
 */
public final class CounterChecker implements HistoryChecker {

    @Override
    public WorkloadVerdict check(List<Op> ops) {
        Map<String, List<Op>> byKey = ByKey.group(ops, Workload.COUNTER, Set.of(Fn.INCR, Fn.READ));
        Findings findings = new Findings();
        byKey.forEach((key, keyOps) -> new CounterKeyCheck(key, keyOps, findings).check());
        long increments = ops.stream().filter(op -> op.fn() == Fn.INCR).count();
        long acknowledged = ops.stream().filter(op -> op.fn() == Fn.INCR && op.ok()).count();
        long unknown = ops.stream().filter(op -> op.fn() == Fn.INCR && op.outcome() == Outcome.UNKNOWN).count();
        long reads = ops.stream().filter(op -> op.fn() == Fn.READ && op.ok()).count();
        String summary = ops.size() + " ops on " + byKey.size() + " key(s): " + increments + " increments ("
                + acknowledged + " ok, " + unknown + " unknown), " + reads + " ok reads; "
                + (findings.violations() == 0 ? "no violations" : findings.violations() + " violation(s)");
        return findings.verdict(Workload.COUNTER, summary);
    }
}
