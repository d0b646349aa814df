package io.raftkv.verify.check;

import io.raftkv.verify.history.Op;
import io.raftkv.verify.history.Workload;
import java.util.List;
import java.util.Objects;

/**
 * A checker's answer for one workload, in the form the report shows it.
 *
 * @param workload the workload checked
 * @param validity the answer
 * @param summary  one line: what was checked and what was found
 * @param problems specific, human-readable findings (violations first, then what could not be
 *                 checked), naming ops by index, process, key, value and times in ms; at most
 *                 about twenty, followed by an "and N more" line; empty when valid
 * @param evidence the smallest set of ops that demonstrates the first violation, for the
 *                 report's timeline, ordered by invocation; empty unless INVALID
 */
public record WorkloadVerdict(Workload workload, Validity validity, String summary, List<String> problems,
                              List<Op> evidence) {

    /** Copies the lists and checks that evidence comes only with a violation. */
    public WorkloadVerdict {
        Objects.requireNonNull(workload, "workload");
        Objects.requireNonNull(validity, "validity");
        Objects.requireNonNull(summary, "summary");
        problems = List.copyOf(problems);
        evidence = List.copyOf(evidence);
        if (validity != Validity.INVALID && !evidence.isEmpty()) {
            throw new IllegalArgumentException("evidence for a " + validity + " verdict");
        }
    }
}
