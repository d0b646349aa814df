package io.raftkv.verify.check;

import io.raftkv.lincheck.CheckResult;
import io.raftkv.lincheck.KvInput;
import io.raftkv.lincheck.KvModels;
import io.raftkv.lincheck.LinearizabilityChecker;
import io.raftkv.lincheck.Operation;
import io.raftkv.lincheck.PartitionResult;
import io.raftkv.lincheck.Verdict;
import io.raftkv.verify.history.Fn;
import io.raftkv.verify.history.Op;
import io.raftkv.verify.history.Outcome;
import io.raftkv.verify.history.Workload;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Checks the register workload (SET of unique values, GET) for linearizability, key by key, with
 * lincheck's search (Wing &amp; Gong 1993, Lowe 2017; {@link KvModels#casKv()}, where a missing
 * key reads as null).
 *
 * <p>How ops become lincheck operations: an OK write is a put over its interval; an UNKNOWN
 * write is {@link Operation#unknown}, free to take effect at any time after its invocation or
 * never; an OK read is a get returning its result. UNKNOWN reads tell nothing and FAIL ops did
 * not happen, so both are dropped.
 *
 * <p>Before the search, a cheap pass looks for reads of values that no write on that key could
 * have produced, the commonest symptom of a real bug (a read of a failed write, of another key, of
 * garbage). Such a read is proof enough, and its evidence is the read alone, so the exponential
 * search is skipped.
 */
public final class RegisterChecker implements HistoryChecker {

    /** How many of the last linearized ops go into the evidence, for context. */
    private static final int PREFIX_EVIDENCE = 5;

    private final Duration timeout;

    /**
     * @param timeout the time budget of the linearizability search; when it runs out the
     *                verdict is UNKNOWN
     */
    public RegisterChecker(Duration timeout) {
        this.timeout = Objects.requireNonNull(timeout, "timeout");
    }

    @Override
    public WorkloadVerdict check(List<Op> ops) {
        Map<String, List<Op>> byKey = ByKey.group(ops, Workload.REGISTER, Set.of(Fn.READ, Fn.WRITE));
        Findings findings = new Findings();
        findReadsOfUnwrittenValues(byKey, findings);
        if (findings.violations() > 0) {
            return findings.verdict(Workload.REGISTER, ops.size() + " ops on " + byKey.size()
                    + " key(s): reads of values never written; linearizability search skipped");
        }

        Map<Operation, Op> origin = new IdentityHashMap<>();
        List<Operation> history = new ArrayList<>();
        for (Op op : ops) {
            Operation operation = toOperation(op);
            if (operation != null) {
                origin.put(operation, op);
                history.add(operation);
            }
        }
        CheckResult result = LinearizabilityChecker.check(KvModels.casKv(), history, timeout);
        if (result.verdict() == Verdict.ILLEGAL) {
            for (PartitionResult failure : result.failures()) {
                findings.violation(explain(failure, origin), evidence(failure, origin));
            }
        } else if (result.verdict() == Verdict.UNKNOWN) {
            for (PartitionResult p : result.partitions()) {
                if (p.verdict() == Verdict.UNKNOWN) {
                    findings.inconclusive(p.partition().replace('=', ' ') + ": the linearizability search ran out of"
                            + " time after " + p.searchSteps() + " steps (" + p.operationCount() + " ops)");
                }
            }
        }
        String outcome = switch (result.verdict()) {
            case OK -> "linearizable";
            case ILLEGAL -> result.failures().size() + " key(s) not linearizable";
            case UNKNOWN -> "search timed out";
        };
        return findings.verdict(Workload.REGISTER, ops.size() + " ops on " + byKey.size() + " key(s), "
                + history.size() + " searched in " + result.elapsed().toMillis() + " ms: " + outcome);
    }

    private static void findReadsOfUnwrittenValues(Map<String, List<Op>> byKey, Findings findings) {
        for (Map.Entry<String, List<Op>> entry : byKey.entrySet()) {
            Set<String> written = new HashSet<>();
            for (Op op : entry.getValue()) {
                if (op.fn() == Fn.WRITE && op.outcome() != Outcome.FAIL) {
                    written.add(op.value());
                }
            }
            for (Op op : entry.getValue()) {
                if (op.fn() == Fn.READ && op.ok() && op.result() != null && !written.contains(op.result())) {
                    findings.violation("key " + entry.getKey() + ": " + OpText.describe(op)
                            + " read a value that no acknowledged or unknown write on " + entry.getKey()
                            + " wrote", op);
                }
            }
        }
    }

    /** The lincheck operation for an op, or null for ops that tell nothing. */
    private static Operation toOperation(Op op) {
        if (op.outcome() == Outcome.FAIL || (op.fn() == Fn.READ && op.outcome() == Outcome.UNKNOWN)) {
            return null;
        }
        if (op.fn() == Fn.WRITE) {
            KvInput put = KvInput.put(op.key(), op.value());
            return op.ok() ? Operation.completed(op.process(), put, null, op.invokeNanos(), op.completeNanos())
                    : Operation.unknown(op.process(), put, op.invokeNanos());
        }
        return Operation.completed(op.process(), KvInput.get(op.key()), op.result(), op.invokeNanos(),
                op.completeNanos());
    }

    private static String explain(PartitionResult failure, Map<Operation, Op> origin) {
        String value = null;
        for (Operation op : failure.longestPrefix()) {
            KvInput input = (KvInput) op.input();
            if (input.kind() == KvInput.Kind.PUT) {
                value = input.value();
            }
        }
        Op blocking = origin.get(failure.blockingOperation());
        return failure.partition().replace('=', ' ') + " is not linearizable: after the longest order found ("
                + failure.longestPrefix().size() + " of " + failure.operationCount() + " ops), which leaves "
                + (value == null ? "the key missing" : "\"" + value + "\"") + ", "
                + (blocking == null ? "no op" : OpText.describe(blocking))
                + " cannot take effect, nor can any op that could go before it.\n" + failure.explanation();
    }

    /** The blocked op, its alternatives and the last few ops before them. */
    private static Op[] evidence(PartitionResult failure, Map<Operation, Op> origin) {
        Set<Op> ops = new LinkedHashSet<>();
        if (failure.blockingOperation() != null) {
            ops.add(origin.get(failure.blockingOperation()));
        }
        failure.candidates().forEach(c -> ops.add(origin.get(c)));
        List<Operation> prefix = failure.longestPrefix();
        prefix.subList(Math.max(0, prefix.size() - PREFIX_EVIDENCE), prefix.size())
                .forEach(p -> ops.add(origin.get(p)));
        return ops.toArray(Op[]::new);
    }
}
