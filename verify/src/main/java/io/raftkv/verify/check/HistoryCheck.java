package io.raftkv.verify.check;

import io.raftkv.verify.history.Op;
import io.raftkv.verify.history.Workload;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Checks a whole run: splits the history by workload and hands each part to its checker. */
public final class HistoryCheck {

    private HistoryCheck() {
    }

    /**
     * Checks the ops of the given workloads; ops of other workloads are ignored.
     *
     * @param all             the whole history, in any order
     * @param workloads       the workloads that ran, each of which gets a verdict even with no ops
     * @param registerTimeout the time budget of the register workload's linearizability search
     * @return one verdict per workload, in {@link Workload} order
     */
    public static List<WorkloadVerdict> checkAll(List<Op> all, Set<Workload> workloads, Duration registerTimeout) {
        Map<Workload, List<Op>> byWorkload = new EnumMap<>(Workload.class);
        for (Op op : all) {
            byWorkload.computeIfAbsent(op.workload(), w -> new ArrayList<>()).add(op);
        }
        List<WorkloadVerdict> verdicts = new ArrayList<>();
        for (Workload workload : Workload.values()) {
            if (workloads.contains(workload)) {
                verdicts.add(checker(workload, registerTimeout).check(byWorkload.getOrDefault(workload, List.of())));
            }
        }
        return verdicts;
    }

    /**
     * The run's verdict.
     *
     * @param verdicts the workloads' verdicts
     * @return the worst of them, VALID for none
     */
    public static Validity overall(List<WorkloadVerdict> verdicts) {
        return Validity.combine(verdicts.stream().map(WorkloadVerdict::validity).toList());
    }

    /**
     * The checker of a workload.
     *
     * @param workload        the workload
     * @param registerTimeout the search budget, used by the register checker only
     * @return a new checker
     */
    public static HistoryChecker checker(Workload workload, Duration registerTimeout) {
        return switch (workload) {
            case REGISTER -> new RegisterChecker(registerTimeout);
            case APPEND -> new ListAppendChecker();
            case COUNTER -> new CounterChecker();
        };
    }
}
