package io.raftkv.verify;

import static org.assertj.core.api.Assertions.assertThat;

import io.raftkv.verify.check.Validity;
import io.raftkv.verify.history.FaultInterval;
import io.raftkv.verify.history.Fn;
import io.raftkv.verify.history.HistoryWriter;
import io.raftkv.verify.history.Op;
import io.raftkv.verify.history.Outcome;
import io.raftkv.verify.history.Workload;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The verdict, the files and the last line, from a run's end and from a saved history. */
class HistoryJudgeTest {
    @TempDir
    Path runDir;

    private static Op op(long index, int process, Fn fn, String value, Outcome outcome, String result, long from,
                         long to) {
        return new Op(index, process, "n1", Workload.REGISTER, fn, "r/0", value, outcome, result,
                from * 1_000_000, to * 1_000_000, outcome == Outcome.OK ? null : "TRYAGAIN no leader", false);
    }

    /** Write a, then a read that returns a after b was acknowledged: stale if {@code staleRead}. */
    private void writeHistory(boolean staleRead) throws java.io.IOException {
        try (HistoryWriter writer = new HistoryWriter(runDir.resolve("history.jsonl"))) {
            List<Op> ops = List.of(
                    op(0, 1, Fn.WRITE, "a", Outcome.OK, null, 0, 10),
                    op(1, 2, Fn.WRITE, "b", Outcome.OK, null, 20, 30),
                    op(2, 3, Fn.WRITE, "c", Outcome.FAIL, null, 31, 32),
                    op(3, 1, Fn.READ, null, Outcome.OK, staleRead ? "a" : "b", 40, 50));
            for (Op op : ops) {
                writer.invoke(op.process(), op.node(), op.workload(), op.fn(), op.key(), op.value(), op.invokeNanos());
                writer.complete(op);
            }
            writer.fault(new FaultInterval("kill", "kill -9 n2", 5_000_000, 25_000_000));
        }
    }

    @Test
    void recheckOfAValidHistoryIsValid() throws Exception {
        writeHistory(false);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        VerifyResult result = new HistoryJudge(runDir, new PrintStream(out, true, StandardCharsets.UTF_8))
                .recheck(Duration.ofSeconds(10));
        assertThat(result.verdict()).isEqualTo(Validity.VALID);
        assertThat(result.verdictLine()).isEqualTo("VERDICT valid ops=4 ok=3 fail=1 unknown=0");
        assertThat(out.toString(StandardCharsets.UTF_8).strip()).endsWith(result.verdictLine());
        assertThat(Files.readString(runDir.resolve("summary.txt"))).contains("faults injected: 1", "register: VALID");
        assertThat(Files.readString(runDir.resolve("report.html"))).contains("kill -9 n2");
    }

    @Test
    void recheckFindsAStaleRead() throws Exception {
        writeHistory(true);
        VerifyResult result = new HistoryJudge(runDir, new PrintStream(new ByteArrayOutputStream(), true,
                StandardCharsets.UTF_8)).recheck(Duration.ofSeconds(10));
        assertThat(result.verdict()).isEqualTo(Validity.INVALID);
        assertThat(Files.readString(runDir.resolve("summary.txt"))).contains("register: INVALID");
    }

    @Test
    void aProblemOutsideTheHistoryMakesAValidHistoryInvalid() throws Exception {
        List<Op> ops = List.of(op(0, 1, Fn.WRITE, "a", Outcome.OK, null, 0, 10),
                op(1, 2, Fn.READ, null, Outcome.OK, "a", 20, 30));
        VerifyResult result = new HistoryJudge(runDir, new PrintStream(new ByteArrayOutputStream(), true,
                StandardCharsets.UTF_8)).judge("t", List.of(), ops, List.of(), Set.of(Workload.REGISTER),
                Duration.ofSeconds(10), List.of("n2 exited on its own with status 1"), 30_000_000);
        assertThat(result.verdict()).isEqualTo(Validity.INVALID);
        assertThat(Files.readString(runDir.resolve("summary.txt"))).contains("cluster: n2 exited on its own");
    }

    @Test
    void aRunWithNothingAcknowledgedIsUnknown() throws Exception {
        List<Op> ops = List.of(op(0, 1, Fn.WRITE, "a", Outcome.FAIL, null, 0, 10));
        VerifyResult result = new HistoryJudge(runDir, new PrintStream(new ByteArrayOutputStream(), true,
                StandardCharsets.UTF_8)).judge("t", List.of(), ops, List.of(), Set.of(Workload.REGISTER),
                Duration.ofSeconds(10), List.of(), 10_000_000);
        assertThat(result.verdict()).isEqualTo(Validity.UNKNOWN);
    }
}
