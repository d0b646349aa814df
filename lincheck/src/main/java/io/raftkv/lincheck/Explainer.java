package io.raftkv.lincheck;

import java.util.ArrayList;
import java.util.List;

/** Turns a {@link PartitionSearch.Outcome} into a {@link PartitionResult} with readable text. */
final class Explainer<S> {

    /** At most this many prefix operations and candidates are printed. */
    static final int MAX_LINES = 20;

    private final Model<S> model;

    Explainer(Model<S> model) {
        this.model = model;
    }

    /**
     * @param ops        the operations that were searched
     * @param totalCount the size of the partition, including ignored unknown read-only operations
     */
    PartitionResult result(String partition, Operation[] ops, int totalCount,
                           PartitionSearch.Outcome outcome) {
        String size = totalCount == ops.length ? ops.length + " operations"
                : totalCount + " operations, " + (totalCount - ops.length)
                + " unknown read-only ones ignored";
        List<Operation> prefix = new ArrayList<>(outcome.prefix().length);
        for (int i : outcome.prefix()) {
            prefix.add(ops[i]);
        }
        List<Operation> candidates = new ArrayList<>(outcome.candidates().length);
        for (int i : outcome.candidates()) {
            candidates.add(ops[i]);
        }
        Operation blocking = outcome.blocking() < 0 ? null : ops[outcome.blocking()];
        String text = switch (outcome.verdict()) {
            case OK -> "Partition " + partition + ": linearizable (" + size + ", "
                    + outcome.steps() + " search steps).";
            case UNKNOWN -> "Partition " + partition + ": UNKNOWN, "
                    + (outcome.cutoff() == PartitionSearch.Cutoff.TIMEOUT ? "timed out"
                    : "abandoned because another partition is not linearizable")
                    + " after " + outcome.steps() + " search steps (" + size + ").\n"
                    + renderPrefix(prefix, ops.length);
            case ILLEGAL -> "Partition " + partition + ": NOT linearizable (" + size + ").\n"
                    + renderPrefix(prefix, ops.length)
                    + renderDeadEnd(blocking, candidates, prefix);
        };
        return new PartitionResult(partition, outcome.verdict(), totalCount, prefix, blocking,
                candidates, outcome.steps(), text);
    }

    private String renderPrefix(List<Operation> prefix, int total) {
        StringBuilder sb = new StringBuilder();
        sb.append("Longest linearizable prefix found: ").append(prefix.size()).append(" of ")
                .append(total).append(" operations");
        int skip = Math.max(0, prefix.size() - MAX_LINES);
        sb.append(skip > 0 ? " (the first " + skip + " not shown):\n" : ":\n");
        S state = model.init();
        for (int i = 0; i < prefix.size(); i++) {
            Operation op = prefix.get(i);
            state = model.step(state, op.input(), op.output()).state();
            if (i >= skip) {
                sb.append(String.format("  %5d. %s   => state %s%n", i + 1, describe(op),
                        model.describeState(state)));
            }
        }
        sb.append("  State after the prefix: ").append(model.describeState(state)).append('\n');
        return sb.toString();
    }

    private String renderDeadEnd(Operation blocking, List<Operation> candidates,
                                 List<Operation> prefix) {
        S state = model.init();
        for (Operation op : prefix) {
            state = model.step(state, op.input(), op.output()).state();
        }
        StringBuilder sb = new StringBuilder();
        if (blocking == null) {
            return sb.toString();
        }
        sb.append("Could not linearize, after that prefix:\n  ").append(describe(blocking))
                .append("\n  (it returned at ").append(blocking.returnTime())
                .append(", so it must take effect before any operation invoked later).\n");
        sb.append("Operations that could go next (").append(candidates.size())
                .append("); none leads to a full linearization:\n");
        for (int i = 0; i < Math.min(candidates.size(), MAX_LINES); i++) {
            Operation op = candidates.get(i);
            boolean legal = model.step(state, op.input(), op.output()).legal();
            sb.append("  ").append(describe(op)).append("   ")
                    .append(legal ? "allowed here, but every continuation fails"
                            : "not allowed in this state")
                    .append('\n');
        }
        if (candidates.size() > MAX_LINES) {
            sb.append("  ... and ").append(candidates.size() - MAX_LINES).append(" more\n");
        }
        return sb.toString();
    }

    private String describe(Operation op) {
        String ret = op.isUnknown() ? "unknown" : Long.toString(op.returnTime());
        return String.format("client %d: %s  [%d, %s]", op.clientId(),
                model.describe(op.input(), op.output()), op.callTime(), ret);
    }
}
