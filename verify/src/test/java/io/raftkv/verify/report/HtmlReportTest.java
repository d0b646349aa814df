package io.raftkv.verify.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.raftkv.verify.check.Validity;
import io.raftkv.verify.check.WorkloadVerdict;
import io.raftkv.verify.history.FaultInterval;
import io.raftkv.verify.history.Fn;
import io.raftkv.verify.history.Op;
import io.raftkv.verify.history.Outcome;
import io.raftkv.verify.history.Workload;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The report's content, escaping and size. */
class HtmlReportTest {

    private static final long MS = 1_000_000L;

    @TempDir
    Path dir;

    private static final Op WRITE = new Op(17, 2, "n1", Workload.REGISTER, Fn.WRITE, "r3", "p2-17", Outcome.OK, null,
            1000 * MS, 1010 * MS, null, false);
    private static final Op LOST = new Op(18, 3, "n2", Workload.REGISTER, Fn.WRITE, "r3", "p3-4", Outcome.UNKNOWN, null,
            1002 * MS, 1500 * MS, "timeout", false);
    private static final Op READ = new Op(19, 1, "n3", Workload.REGISTER, Fn.READ, "r3", null, Outcome.OK, "p1-9",
            1020 * MS, 1030 * MS, null, false);

    @Test
    void reportShowsVerdictChartsAndEvidence() throws IOException {
        List<FaultInterval> faults = List.of(new FaultInterval("partition", "isolate n1 | n2 n3", 900 * MS, 1100 * MS),
                new FaultInterval("kill", "kill -9 n2 <leader>", 1200 * MS, 1300 * MS));
        WorkloadVerdict invalid = new WorkloadVerdict(Workload.REGISTER, Validity.INVALID, "3 ops on 1 key",
                List.of("key r3 is not linearizable: #19 read <stale> & wrong"), List.of(WRITE, LOST, READ));
        WorkloadVerdict unknown = new WorkloadVerdict(Workload.COUNTER, Validity.UNKNOWN, "0 ops",
                List.of("key c1: no final read succeeded"), List.of());
        ReportInput input = new ReportInput("raftkv verify <script>alert(1)</script>", List.of("nodes: 3", "a < b"),
                List.of(WRITE, LOST, READ), faults, List.of(invalid, unknown), Validity.INVALID, 2000 * MS);
        Path file = dir.resolve("report.html");

        HtmlReport.write(input, file);

        String html = Files.readString(file, StandardCharsets.UTF_8);
        assertThat(html).startsWith("<!DOCTYPE html>")
                .contains("<div class=\"verdict INVALID\">INVALID</div>", "<svg", "</svg>")
                .contains("W r3 \"p2-17\"", "R r3 -&gt; \"p1-9\"", "W r3 \"p3-4\"", "url(#hatch-register)")
                .contains("#19 read &lt;stale&gt; &amp; wrong", "kill -9 n2 &lt;leader&gt;", "a &lt; b", "nodes: 3")
                .contains("partition: isolate n1 | n2 n3", "<span class=\"badge UNKNOWN\">UNKNOWN</span>")
                .contains("<td>register</td><td>3</td><td>2</td><td>0</td><td>1</td>")
                .doesNotContain("<script", "src=", "href=", "@import");
        assertThat(html.split("Evidence of the first violation", -1)).hasSize(2);
    }

    @Test
    void reportOfALargeRunStaysSmall() throws IOException {
        Random random = new Random(3);
        List<Op> ops = new ArrayList<>();
        long runNanos = 300_000 * MS;
        for (int i = 0; i < 200_000; i++) {
            long invoke = (long) (random.nextDouble() * (runNanos - 100 * MS));
            long latency = (long) (Math.exp(random.nextGaussian() * 1.5) * MS);
            Outcome outcome = i % 20 == 0 ? Outcome.FAIL : i % 33 == 0 ? Outcome.UNKNOWN : Outcome.OK;
            boolean read = random.nextBoolean();
            ops.add(new Op(i, i % 50, "n1", Workload.REGISTER, read ? Fn.READ : Fn.WRITE, "r" + i % 10,
                    read ? null : "p" + i, outcome, read && outcome == Outcome.OK ? "p" + (i - 1) : null, invoke,
                    invoke + latency, outcome == Outcome.OK ? null : "timeout", false));
        }
        List<FaultInterval> faults = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            faults.add(new FaultInterval(i % 2 == 0 ? "kill" : "partition", "fault " + i, i * 15_000 * MS,
                    (i * 15_000 + 5_000) * MS));
        }
        WorkloadVerdict invalid = new WorkloadVerdict(Workload.REGISTER, Validity.INVALID, "summary", List.of("x"),
                ops.subList(0, 10));
        Path file = dir.resolve("large.html");

        HtmlReport.write(new ReportInput("large", List.of(), ops, faults, List.of(invalid), Validity.INVALID,
                runNanos), file);

        assertThat(Files.size(file)).isLessThan(3_000_000L);
        String html = Files.readString(file, StandardCharsets.UTF_8);
        assertThat(html).contains("<td>all</td><td>200000</td>");
        assertThat(html.split("<rect", -1).length).isLessThan(500);
    }

    @Test
    void emptyRunStillRenders() throws IOException {
        Path file = dir.resolve("empty.html");

        HtmlReport.write(new ReportInput("empty", List.of(), List.of(), List.of(), List.of(), Validity.VALID, 0), file);

        assertThat(Files.readString(file)).contains("<div class=\"verdict VALID\">VALID</div>", "<svg");
    }
}
