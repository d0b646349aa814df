package io.raftkv.verify.check;

import io.raftkv.verify.history.Fn;
import io.raftkv.verify.history.Op;
import io.raftkv.verify.history.Outcome;
import io.raftkv.verify.history.Workload;
import java.util.ArrayList;
import java.util.List;

/** Builds small hand-written histories of one workload; times are given in ms. */
final class Ops {

    private final Workload workload;
    private final List<Op> all = new ArrayList<>();

    Ops(Workload workload) {
        this.workload = workload;
    }

    Op ok(int process, Fn fn, String key, String value, String result, long fromMillis, long toMillis) {
        return add(process, fn, key, value, Outcome.OK, result, fromMillis, toMillis, false);
    }

    Op fail(int process, Fn fn, String key, String value, long fromMillis, long toMillis) {
        return add(process, fn, key, value, Outcome.FAIL, null, fromMillis, toMillis, false);
    }

    Op unknown(int process, Fn fn, String key, String value, long fromMillis, long toMillis) {
        return add(process, fn, key, value, Outcome.UNKNOWN, null, fromMillis, toMillis, false);
    }

    Op finalRead(int process, String key, String result, long fromMillis, long toMillis) {
        return add(process, Fn.READ, key, null, Outcome.OK, result, fromMillis, toMillis, true);
    }

    Op read(int process, String key, String result, long fromMillis, long toMillis) {
        return ok(process, Fn.READ, key, null, result, fromMillis, toMillis);
    }

    List<Op> all() {
        return List.copyOf(all);
    }

    private Op add(int process, Fn fn, String key, String value, Outcome outcome, String result, long fromMillis,
                   long toMillis, boolean isFinal) {
        Op op = new Op(all.size(), process, "n" + (process % 3 + 1), workload, fn, key, value, outcome, result,
                fromMillis * 1_000_000, toMillis * 1_000_000, outcome == Outcome.OK ? null : "timeout", isFinal);
        all.add(op);
        return op;
    }
}
