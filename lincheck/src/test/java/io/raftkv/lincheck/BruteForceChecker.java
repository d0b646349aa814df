package io.raftkv.lincheck;

import java.util.List;

/**
 * Test oracle: decides linearizability by trying every order of the operations that respects
 * real time (A before B when A.returnTime &lt; B.callTime), letting unknown operations be left
 * out. Exponential; for histories of a handful of operations only.
 */
final class BruteForceChecker {

    private BruteForceChecker() {
    }

    static <S> boolean isLinearizable(Model<S> model, List<Operation> history) {
        return search(model, history, new boolean[history.size()], model.init());
    }

    private static <S> boolean search(Model<S> model, List<Operation> ops, boolean[] done,
                                      S state) {
        boolean allKnownDone = true;
        for (int i = 0; i < ops.size(); i++) {
            if (!done[i] && !ops.get(i).isUnknown()) {
                allKnownDone = false;
            }
        }
        if (allKnownDone) {
            return true;
        }
        for (int i = 0; i < ops.size(); i++) {
            if (done[i] || !minimal(ops, done, i)) {
                continue;
            }
            Operation op = ops.get(i);
            StepResult<S> r = model.step(state, op.input(), op.output());
            if (r.legal()) {
                done[i] = true;
                boolean ok = search(model, ops, done, r.state());
                done[i] = false;
                if (ok) {
                    return true;
                }
            }
        }
        return false;
    }

    /** No other pending operation returned before op i was called. */
    private static boolean minimal(List<Operation> ops, boolean[] done, int i) {
        for (int j = 0; j < ops.size(); j++) {
            if (!done[j] && j != i && ops.get(j).returnTime() < ops.get(i).callTime()) {
                return false;
            }
        }
        return true;
    }
}
