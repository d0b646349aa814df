package io.raftkv.verify.check;

import io.raftkv.verify.history.Op;
import java.util.List;

/** Checks the ops of one workload against that workload's consistency rules. */
public interface HistoryChecker {

    /**
     * Checks a history.
     *
     * @param ops the workload's ops only, in any order
     * @return the verdict, with problems and evidence when not valid
     * @throws IllegalArgumentException if an op belongs to another workload or has a function
     *                                  the workload never issues (a bug in the runner, not in
     *                                  the system under test)
     */
    WorkloadVerdict check(List<Op> ops);
}
