package io.raftkv.lincheck;

import java.util.Arrays;

/**
 * The linearizability search for one partition: Wing &amp; Gong's (1993) depth-first search over
 * the {@link EventList}, with Lowe's (2017) memoization of (linearized set, state) pairs in a
 * {@link MemoCache}, and backtracking through an explicit stack (no recursion, so histories of any
 * length are fine).
 *
 * <p>The search walks the event list from its head. At a call it tries to linearize that
 * operation now: if the model accepts it and the resulting configuration is new, the operation
 * is lifted out of the list, pushed on the stack, and the walk restarts from the head. At a return
 * the operation returning there can no longer be linearized in this branch, so the search
 * backtracks by popping the most recent operation and trying the next candidate after it.
 *
 * <p>Unknown operations (return time {@link Long#MAX_VALUE}) have their return at the end of the
 * list, and the search succeeds as soon as every operation with a known return has been
 * linearized: the remaining unknown operations are taken never to have happened. Memoization
 * stays sound because the configuration (set of lifted operations, state) still determines
 * everything the rest of the search can do.
 *
 * <p>Partial-order reduction: if a candidate operation is read-only ({@link Model#isReadOnly}:
 * whenever legal, it leaves the state unchanged) and legal now, it can be moved to the front of
 * any successful linearization of the remaining operations: it is legal now, no remaining
 * operation must precede it (it is a candidate, so none returned before it was called), and
 * removing it from its old position changes no state. So if the search fails after linearizing
 * it, the current configuration fails too and the other candidates need not be tried. (An
 * operation that merely happens to preserve the current state, such as a write of the current
 * value, does not qualify: at its later position it might have changed the state.)
 *
 * <p>The search is resumable: {@link #resume} runs a bounded number of steps, so that the checker
 * can interleave partitions fairly. The {@link Deadline} is checked every
 * {@value #CHECK_INTERVAL} steps. Not thread-safe; one instance per partition.
 */
final class PartitionSearch<S> {

    static final int CHECK_INTERVAL = 1024;

    /** Why an UNKNOWN outcome is unknown. */
    enum Cutoff { NONE, TIMEOUT, ABANDONED }

    /**
     * What the search found.
     *
     * @param verdict     OK, ILLEGAL or UNKNOWN
     * @param cutoff      for UNKNOWN: whether time ran out or the search was abandoned
     * @param prefix      operation indices of the longest linearization found, in order
     * @param blocking    for ILLEGAL, the operation whose return was reached without being able
     *                    to linearize it after the longest prefix; -1 otherwise
     * @param candidates  the operations that could have been linearized next after the prefix
     * @param steps       number of search steps taken
     */
    record Outcome(Verdict verdict, Cutoff cutoff, int[] prefix, int blocking, int[] candidates,
                   long steps) {
    }

    private final Model<S> model;
    private final Operation[] ops;
    private final Deadline deadline;
    private final EventList events;
    private final MemoCache cache = new MemoCache();
    private final boolean[] readOnly;

    // Search configuration.
    private final long[] bits;
    private long bitsHash;
    private final int[] stackEntry;
    private final Object[] stackState;
    /** Whether the operation at each depth was committed as read-only (see the class comment). */
    private final boolean[] stackCommitted;
    private int depth;
    private S state;
    private int entry;
    private int knownRemaining;
    private long steps;
    private Outcome outcome;

    // Deepest dead end seen so far, for the report.
    private int bestDepth = -1;
    private int[] bestPrefix = new int[0];
    private int bestBlocking = -1;
    private int[] bestCandidates = new int[0];

    PartitionSearch(Model<S> model, Operation[] ops, Deadline deadline) {
        this.model = model;
        this.ops = ops;
        this.deadline = deadline;
        this.events = new EventList(ops);
        int n = ops.length;
        bits = new long[(n + 63) >>> 6];
        stackEntry = new int[n];
        stackState = new Object[n];
        stackCommitted = new boolean[n];
        readOnly = new boolean[n];
        for (int i = 0; i < n; i++) {
            readOnly[i] = model.isReadOnly(ops[i].input(), ops[i].output());
        }
        state = model.init();
        entry = events.first();
        for (Operation o : ops) {
            if (!o.isUnknown()) {
                knownRemaining++;
            }
        }
        if (knownRemaining == 0) {
            outcome = finish(Verdict.OK, Cutoff.NONE);
        }
    }

    /**
     * Continues the search for at most {@code maxSteps} more steps.
     *
     * @return the outcome, or {@code null} if the search is not finished yet
     */
    Outcome resume(long maxSteps) {
        long stop = steps + maxSteps;
        while (outcome == null && steps < stop) {
            if (++steps % CHECK_INTERVAL == 0 && deadline.expired()) {
                return abandon(Cutoff.TIMEOUT);
            }
            step();
        }
        return outcome;
    }

    /** Gives up: the outcome is UNKNOWN, with the longest prefix found so far. */
    Outcome abandon(Cutoff why) {
        if (outcome == null) {
            remember(-1);
            outcome = finish(Verdict.UNKNOWN, why);
        }
        return outcome;
    }

    private void step() {
        if (events.isTail(entry)) {
            throw new IllegalStateException("search ran past the last event");
        }
        if (!events.isCall(entry)) {
            // A return: its operation can no longer be linearized on this branch.
            remember(entry);
            backtrack();
            return;
        }
        int op = events.op(entry);
        StepResult<S> result = model.step(state, ops[op].input(), ops[op].output());
        if (!result.legal()) {
            entry = events.next(entry);
            return;
        }
        boolean commit = readOnly[op];
        bits[op >>> 6] |= 1L << op;
        bitsHash ^= MemoCache.bitHash(op);
        if (cache.add(bits, bitsHash, result.state())) {
            stackEntry[depth] = entry;
            stackState[depth] = state;
            stackCommitted[depth++] = commit;
            state = result.state();
            events.lift(entry);
            if (!ops[op].isUnknown() && --knownRemaining == 0) {
                outcome = finish(Verdict.OK, Cutoff.NONE);
            }
            entry = events.first();
            return;
        }
        bits[op >>> 6] &= ~(1L << op);
        bitsHash ^= MemoCache.bitHash(op);
        if (commit) {
            // The configuration after op was explored and failed, so this one fails too.
            backtrack();
        } else {
            entry = events.next(entry);
        }
    }

    /**
     * Undoes the most recent linearization and moves on to the next candidate. Configurations
     * left through a committed read-only operation have failed as a whole, so the search keeps
     * popping past them.
     */
    private void backtrack() {
        while (true) {
            if (depth == 0) {
                outcome = finish(Verdict.ILLEGAL, Cutoff.NONE);
                return;
            }
            entry = stackEntry[--depth];
            @SuppressWarnings("unchecked")
            S previous = (S) stackState[depth];
            state = previous;
            stackState[depth] = null;
            int op = events.op(entry);
            bits[op >>> 6] &= ~(1L << op);
            bitsHash ^= MemoCache.bitHash(op);
            events.unlift(entry);
            if (!ops[op].isUnknown()) {
                knownRemaining++;
            }
            if (!stackCommitted[depth]) {
                entry = events.next(entry);
                return;
            }
        }
    }

    /**
     * Keeps the current configuration if it is the deepest seen so far.
     *
     * @param returnEntry the return entry the search is stuck at, or -1 if not stuck
     */
    private void remember(int returnEntry) {
        if (depth <= bestDepth) {
            return;
        }
        bestDepth = depth;
        bestPrefix = new int[depth];
        for (int i = 0; i < depth; i++) {
            bestPrefix[i] = events.op(stackEntry[i]);
        }
        if (returnEntry < 0) {
            bestBlocking = -1;
            bestCandidates = new int[0];
            return;
        }
        bestBlocking = events.op(returnEntry);
        int[] candidates = new int[8];
        int count = 0;
        for (int e = events.first(); e != returnEntry; e = events.next(e)) {
            if (events.isCall(e)) {
                if (count == candidates.length) {
                    candidates = Arrays.copyOf(candidates, count * 2);
                }
                candidates[count++] = events.op(e);
            }
        }
        bestCandidates = Arrays.copyOf(candidates, count);
    }

    private Outcome finish(Verdict verdict, Cutoff cutoff) {
        if (verdict == Verdict.OK) {
            return new Outcome(verdict, cutoff, new int[0], -1, new int[0], steps);
        }
        return new Outcome(verdict, cutoff, bestPrefix, bestBlocking, bestCandidates, steps);
    }
}
