package io.raftkv.verify.check;

import io.raftkv.verify.history.Fn;
import io.raftkv.verify.history.Op;
import io.raftkv.verify.history.Workload;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Splits a workload's history by key. Keys are independent objects, so each key's sub-history
 * can be checked on its own (Horn &amp; Kroening's P-compositionality); sorting the keys makes
 * the order of problems, and so the choice of evidence, deterministic.
 */
final class ByKey {

    private ByKey() {
    }

    /**
     * Groups ops by key, after checking that they all belong to the workload.
     *
     * @param ops      the history
     * @param workload the workload they must belong to
     * @param fns      the functions that workload issues
     * @return the ops of every key, keys in sorted order, ops in the given order
     * @throws IllegalArgumentException for an op of another workload or function
     */
    static SortedMap<String, List<Op>> group(List<Op> ops, Workload workload, Set<Fn> fns) {
        SortedMap<String, List<Op>> byKey = new TreeMap<>();
        for (Op op : ops) {
            if (op.workload() != workload || !fns.contains(op.fn())) {
                throw new IllegalArgumentException("the " + workload.label() + " checker got " + op);
            }
            byKey.computeIfAbsent(op.key(), k -> new ArrayList<>()).add(op);
        }
        return byKey;
    }
}
