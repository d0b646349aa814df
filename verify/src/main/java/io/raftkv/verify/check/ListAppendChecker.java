package io.raftkv.verify.check;

import io.raftkv.verify.history.Fn;
import io.raftkv.verify.history.Op;
import io.raftkv.verify.history.Outcome;
import io.raftkv.verify.history.Workload;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks the append workload: unique tokens appended to a few keys, and whole-list reads.
 * Because every token is unique and a read returns the whole list, a read shows the order in
 * which the appends before it took effect, which makes the check linear rather than a search
 * (the idea behind Jepsen's list-append workload and Elle, here for one key per op).
 *
 * <p>Per key, where "before" means "completed before the other was invoked":
 * <ol>
 *   <li>no read holds a token twice;</li>
 *   <li>no read holds a token that was never appended, or whose append FAILed;</li>
 *   <li>all OK reads are prefixes of one total order (the longest read);</li>
 *   <li>real time: a read sees at least what a read before it saw; a read sees every append
 *       acknowledged before it; a read holds no token whose append was invoked after it
 *       completed; an append acknowledged before another was invoked comes first in the order;</li>
 *   <li>the final reads (after all faults healed) hold every acknowledged append.</li>
 * </ol>
 * Unknown appends may appear anywhere after their invocation, or never. A key with acknowledged
 * appends but no successful final read makes the verdict UNKNOWN at best: losses cannot be ruled out.
 */
public final class ListAppendChecker implements HistoryChecker {

    @Override
    public WorkloadVerdict check(List<Op> ops) {
        Map<String, List<Op>> byKey = ByKey.group(ops, Workload.APPEND, Set.of(Fn.APPEND, Fn.READ));
        Findings findings = new Findings();
        byKey.forEach((key, keyOps) -> new AppendKeyCheck(key, keyOps, findings).check());
        long appends = ops.stream().filter(op -> op.fn() == Fn.APPEND).count();
        long acknowledged = ops.stream().filter(op -> op.fn() == Fn.APPEND && op.ok()).count();
        long unknown = ops.stream().filter(op -> op.fn() == Fn.APPEND && op.outcome() == Outcome.UNKNOWN).count();
        long reads = ops.stream().filter(op -> op.fn() == Fn.READ && op.ok()).count();
        long finals = ops.stream().filter(op -> op.fn() == Fn.READ && op.ok() && op.isFinal()).count();
        String summary = ops.size() + " ops on " + byKey.size() + " key(s): " + appends + " appends (" + acknowledged
                + " ok, " + unknown + " unknown), " + reads + " ok reads, " + finals + " final; "
                + (findings.violations() == 0 ? "no violations" : findings.violations() + " violation(s)");
        return findings.verdict(Workload.APPEND, summary);
    }
}
