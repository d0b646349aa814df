package io.raftkv.verify.report;

import io.raftkv.verify.check.Validity;
import io.raftkv.verify.check.WorkloadVerdict;
import io.raftkv.verify.history.FaultInterval;
import io.raftkv.verify.history.Op;
import java.util.List;
import java.util.Objects;

/**
 * Everything the report shows about one run.
 *
 * @param title    the page title, e.g. {@code raftkv verify 2026-11-22 06:40}
 * @param settings one line per setting, e.g. {@code nodes: 5}, {@code nemesis: kill, partition}
 * @param ops      the whole history
 * @param faults   the faults injected
 * @param verdicts one per workload checked
 * @param verdict  the run's verdict
 * @param runNanos how long the run took; the charts' time axis ends here (or at the last op)
 */
public record ReportInput(String title, List<String> settings, List<Op> ops, List<FaultInterval> faults,
                          List<WorkloadVerdict> verdicts, Validity verdict, long runNanos) {

    /** Copies the lists. */
    public ReportInput {
        Objects.requireNonNull(title, "title");
        Objects.requireNonNull(verdict, "verdict");
        settings = List.copyOf(settings);
        ops = List.copyOf(ops);
        faults = List.copyOf(faults);
        verdicts = List.copyOf(verdicts);
    }
}
