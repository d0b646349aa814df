package io.raftkv.verify;

import io.raftkv.verify.check.HistoryCheck;
import io.raftkv.verify.check.Validity;
import io.raftkv.verify.check.WorkloadVerdict;
import io.raftkv.verify.history.FaultInterval;
import io.raftkv.verify.history.HistoryReader;
import io.raftkv.verify.history.Op;
import io.raftkv.verify.history.Outcome;
import io.raftkv.verify.history.Workload;
import io.raftkv.verify.report.HtmlReport;
import io.raftkv.verify.report.ReportInput;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Turns a history into a verdict: runs the checkers, writes {@code summary.txt} and
 * {@code report.html} into the run directory and prints the summary and the VERDICT line. Used at
 * the end of a run and to re-check a saved history ({@link #recheck}).
 */
public final class HistoryJudge {
    private final Path runDir;
    private final PrintStream out;

    public HistoryJudge(Path runDir, PrintStream out) {
        this.runDir = runDir;
        this.out = out;
    }

    /**
     * Checks a saved run again from its {@code history.jsonl}, for example with a larger
     * {@code checkTimeout} after an unknown verdict. Problems the run saw outside the history (a
     * server that crashed) are in its original summary only.
     */
    public VerifyResult recheck(Duration checkTimeout) throws IOException {
        HistoryReader.History history = HistoryReader.read(runDir.resolve("history.jsonl"));
        Set<Workload> workloads = EnumSet.noneOf(Workload.class);
        history.ops().forEach(op -> workloads.add(op.workload()));
        long end = history.ops().stream().mapToLong(Op::completeNanos).max().orElse(0);
        if (workloads.isEmpty()) {
            throw new IOException(runDir.resolve("history.jsonl") + " holds no operations");
        }
        return judge("raftkv verify (re-checked): " + runDir.getFileName(), List.of("re-checked from history.jsonl"),
                history.ops(), history.faults(), workloads, checkTimeout, List.of(), end);
    }

    /**
     * Checks and reports.
     *
     * @param clusterProblems what went wrong outside the history (a crash, a node that never
     *                        recovered); any makes the run invalid
     */
    public VerifyResult judge(String title, List<String> settings, List<Op> ops, List<FaultInterval> faults,
                              Set<Workload> workloads, Duration checkTimeout, List<String> clusterProblems,
                              long runNanos) throws IOException {
        List<String> problems = new ArrayList<>(clusterProblems);
        List<WorkloadVerdict> verdicts = HistoryCheck.checkAll(ops, workloads, checkTimeout);
        List<Validity> validities = new ArrayList<>();
        verdicts.forEach(v -> validities.add(v.validity()));
        if (!problems.isEmpty()) {
            validities.add(Validity.INVALID);
        }
        if (ops.stream().noneMatch(Op::ok)) {
            problems.add("no operation was acknowledged: nothing was tested");
            validities.add(Validity.UNKNOWN);
        }
        Validity verdict = Validity.combine(validities);
        long ok = ops.stream().filter(Op::ok).count();
        long fail = ops.stream().filter(o -> o.outcome() == Outcome.FAIL).count();
        VerifyResult result = new VerifyResult(verdict, ops.size(), ok, fail, ops.size() - ok - fail, runDir);

        String summary = summary(settings, faults, ops, verdicts, problems);
        Files.writeString(runDir.resolve("summary.txt"), summary, StandardCharsets.UTF_8);
        HtmlReport.write(new ReportInput(title, settings, ops, faults, verdicts, verdict, runNanos),
                runDir.resolve("report.html"));
        out.print(summary);
        out.printf("verify: history %s, report %s%n", runDir.resolve("history.jsonl"), runDir.resolve("report.html"));
        out.println(result.verdictLine());
        return result;
    }

    private static String summary(List<String> settings, List<FaultInterval> faults, List<Op> ops,
                                  List<WorkloadVerdict> verdicts, List<String> problems) {
        StringBuilder text = new StringBuilder();
        text.append("settings: ").append(String.join(", ", settings)).append('\n');
        text.append("faults injected: ").append(faults.size()).append('\n');
        Map<String, Long> byNemesis = faults.stream().collect(Collectors.groupingBy(FaultInterval::nemesis,
                TreeMap::new, Collectors.counting()));
        byNemesis.forEach((name, count) -> text.append("  ").append(name).append(": ").append(count).append('\n'));
        for (Workload workload : Workload.values()) {
            List<Op> mine = ops.stream().filter(o -> o.workload() == workload).toList();
            if (!mine.isEmpty()) {
                text.append(String.format("%-9s ops=%d ok=%d fail=%d unknown=%d%n", workload.label(), mine.size(),
                        mine.stream().filter(Op::ok).count(),
                        mine.stream().filter(o -> o.outcome() == Outcome.FAIL).count(),
                        mine.stream().filter(o -> o.outcome() == Outcome.UNKNOWN).count()));
            }
        }
        Map<String, Long> errors = ops.stream().filter(o -> o.error() != null)
                .collect(Collectors.groupingBy(o -> errorKind(o.error()), TreeMap::new, Collectors.counting()));
        if (!errors.isEmpty()) {
            text.append("errors by kind:\n");
            errors.forEach((kind, count) -> text.append("  ").append(count).append("  ").append(kind).append('\n'));
        }
        for (WorkloadVerdict verdict : verdicts) {
            text.append(verdict.workload().label()).append(": ").append(verdict.validity()).append(" - ")
                    .append(verdict.summary()).append('\n');
            verdict.problems().forEach(p -> text.append("  ").append(p).append('\n'));
        }
        for (String problem : problems) {
            text.append("cluster: ").append(problem).append('\n');
        }
        return text.toString();
    }

    /** The error's code or exception name, without the varying details. */
    private static String errorKind(String error) {
        return error.split("[ :]", 2)[0];
    }
}
