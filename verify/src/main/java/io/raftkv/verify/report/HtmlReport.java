package io.raftkv.verify.report;

import io.raftkv.verify.check.Validity;
import io.raftkv.verify.check.WorkloadVerdict;
import io.raftkv.verify.history.Op;
import io.raftkv.verify.history.Outcome;
import io.raftkv.verify.history.Workload;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Writes a run's report: one self-contained HTML file with inline SVG charts and no scripts or
 * external resources, so that it can be attached to a bug report or opened years later.
 *
 * <p>It shows the verdict first, then the settings and op counts, throughput and latency over
 * time with every fault shaded, and each workload's verdict with its problems and, for a
 * violation, a timeline of the ops that prove it. The charts aggregate per second, so the file's
 * size depends on the run's length and not on its number of ops: a few hundred kB for 500k ops.
 * All text from the run is escaped.
 */
public final class HtmlReport {

    private static final String STYLE = """
            body { font-family: system-ui, sans-serif; margin: 24px; color: #222; max-width: 1140px; }
            h1 { margin-bottom: 4px; }
            .verdict { display: inline-block; font-size: 32px; font-weight: bold; color: white;
                       padding: 6px 18px; border-radius: 6px; margin: 8px 0 16px; }
            .badge { display: inline-block; font-weight: bold; color: white; padding: 1px 8px; border-radius: 4px; }
            .VALID { background: #2ca02c; } .INVALID { background: #d62728; } .UNKNOWN { background: #e08a00; }
            table { border-collapse: collapse; }
            td, th { border: 1px solid #ccc; padding: 3px 10px; text-align: right; }
            th:first-child, td:first-child { text-align: left; }
            .problems li { white-space: pre-wrap; font-family: ui-monospace, monospace; font-size: 12px;
                           margin: 4px 0; }
            .legend { font-size: 13px; margin: 2px 0 14px; }
            .swatch { display: inline-block; width: 12px; height: 12px; margin: 0 4px 0 10px; vertical-align: -1px; }
            svg text { font-size: 11px; fill: #333; } svg .tick { fill: #666; }
            svg .op { font-family: ui-monospace, monospace; } svg .index { fill: #999; }
            """;

    private HtmlReport() {
    }

    /**
     * Writes the report, replacing the file.
     *
     * @param input what to show
     * @param file  where
     * @throws IOException if the file cannot be written
     */
    public static void write(ReportInput input, Path file) throws IOException {
        Files.writeString(file, render(input), StandardCharsets.UTF_8);
    }

    /**
     * The report's HTML.
     *
     * @param input what to show
     * @return the page
     */
    public static String render(ReportInput input) {
        long end = Math.max(1, input.runNanos());
        for (Op op : input.ops()) {
            end = Math.max(end, op.completeNanos());
        }
        FaultShading shading = new FaultShading(input.faults());
        StringBuilder html = new StringBuilder(64 * 1024)
                .append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>")
                .append(Html.escape(input.title())).append("</title>\n<style>").append(STYLE)
                .append("</style></head>\n<body>\n")
                .append("<h1>").append(Html.escape(input.title())).append("</h1>\n")
                .append("<div class=\"verdict ").append(input.verdict()).append("\">").append(input.verdict())
                .append("</div>\n");
        settings(html, input, end);
        counts(html, input.ops());
        html.append("<h2>Throughput</h2>\n").append(ThroughputChart.render(input.ops(), shading, end))
                .append("<div class=\"legend\">");
        for (Outcome outcome : Outcome.values()) {
            html.append("<span class=\"swatch\" style=\"background:").append(Outcomes.colour(outcome))
                    .append("\"></span>").append(outcome.name().toLowerCase(Locale.ROOT));
        }
        html.append("</div>\n").append(shading.legend())
                .append("<h2>Latency</h2>\n").append(LatencyChart.render(input.ops(), shading, end))
                .append(LatencyChart.legend()).append(shading.legend());
        for (WorkloadVerdict verdict : input.verdicts()) {
            workload(html, verdict, shading);
        }
        return html.append("</body></html>\n").toString();
    }

    private static void settings(StringBuilder html, ReportInput input, long end) {
        html.append("<h2>Settings</h2>\n<ul>\n");
        for (String setting : input.settings()) {
            html.append("<li>").append(Html.escape(setting)).append("</li>\n");
        }
        html.append("<li>run: ").append(String.format(Locale.ROOT, "%.1f", end / 1e9)).append(" s, ")
                .append(input.faults().size()).append(" fault(s)</li>\n</ul>\n");
    }

    private static void counts(StringBuilder html, List<Op> ops) {
        Map<Workload, long[]> counts = new EnumMap<>(Workload.class);
        long[] all = new long[4];
        for (Op op : ops) {
            long[] row = counts.computeIfAbsent(op.workload(), w -> new long[4]);
            int column = switch (op.outcome()) {
                case OK -> 1;
                case FAIL -> 2;
                case UNKNOWN -> 3;
            };
            row[0]++;
            row[column]++;
            all[0]++;
            all[column]++;
        }
        html.append("<h2>Operations</h2>\n<table><tr><th>workload</th><th>total</th><th>ok</th><th>fail</th>")
                .append("<th>unknown</th></tr>\n");
        counts.forEach((workload, row) -> countRow(html, workload.label(), row));
        countRow(html, "all", all);
        html.append("</table>\n");
    }

    private static void countRow(StringBuilder html, String name, long[] row) {
        html.append("<tr><td>").append(Html.escape(name)).append("</td>");
        for (long count : row) {
            html.append("<td>").append(count).append("</td>");
        }
        html.append("</tr>\n");
    }

    private static void workload(StringBuilder html, WorkloadVerdict verdict, FaultShading shading) {
        html.append("<h2>Workload ").append(Html.escape(verdict.workload().label())).append(" <span class=\"badge ")
                .append(verdict.validity()).append("\">").append(verdict.validity()).append("</span></h2>\n<p>")
                .append(Html.escape(verdict.summary())).append("</p>\n");
        if (!verdict.problems().isEmpty()) {
            html.append("<ul class=\"problems\">\n");
            for (String problem : verdict.problems()) {
                html.append("<li>").append(Html.escape(problem)).append("</li>\n");
            }
            html.append("</ul>\n");
        }
        if (verdict.validity() == Validity.INVALID && !verdict.evidence().isEmpty()) {
            html.append("<h3>Evidence of the first violation</h3>\n")
                    .append(EvidenceTimeline.render(verdict.workload().label(), verdict.evidence(), shading))
                    .append("<div class=\"legend\">bars run from invocation to completion; hatched: unknown")
                    .append(" outcome, which may take effect any time after its invocation (the tick marks when")
                    .append(" the client gave up)</div>\n");
        }
    }
}
