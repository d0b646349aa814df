package io.raftkv.verify.report;

import io.raftkv.verify.history.Fn;
import io.raftkv.verify.history.Op;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Chart 2: latency of acknowledged ops per second of invocation, p50, p99 and max, reads and
 * writes (SET, APPEND, INCR) apart, on a logarithmic axis in ms, with the faults shaded. Ops are
 * placed by invocation so that a spike sits on the fault that caused it. Percentiles are exact
 * (nearest rank over the sorted latencies of each second); only the six lines reach the SVG.
 */
final class LatencyChart {

    /** One line of the chart. */
    private record Series(String name, boolean reads, double quantile, String colour, String dash) {
    }

    private static final long SECOND = 1_000_000_000L;
    /** Latencies below this (ms) are drawn at it: the log axis needs a floor. */
    private static final double FLOOR_MILLIS = 0.01;
    private static final List<Series> SERIES = List.of(
            new Series("reads p50", true, 0.50, "#1f77b4", ""),
            new Series("reads p99", true, 0.99, "#1f77b4", "6 3"),
            new Series("reads max", true, 1.00, "#1f77b4", "1 3"),
            new Series("writes p50", false, 0.50, "#d6616b", ""),
            new Series("writes p99", false, 0.99, "#d6616b", "6 3"),
            new Series("writes max", false, 1.00, "#d6616b", "1 3"));

    private LatencyChart() {
    }

    /**
     * @param ops      the history
     * @param shading  the faults
     * @param endNanos the end of the time axis
     * @return the SVG
     */
    static String render(List<Op> ops, FaultShading shading, long endNanos) {
        int seconds = (int) Math.max(1, (endNanos + SECOND - 1) / SECOND);
        long[][] reads = latencies(ops, seconds, true);
        long[][] writes = latencies(ops, seconds, false);
        double[][] values = new double[SERIES.size()][seconds];
        double low = Double.MAX_VALUE;
        double high = 0;
        for (int i = 0; i < SERIES.size(); i++) {
            Series series = SERIES.get(i);
            for (int s = 0; s < seconds; s++) {
                long[] sorted = series.reads() ? reads[s] : writes[s];
                values[i][s] = sorted.length == 0 ? Double.NaN
                        : Math.max(FLOOR_MILLIS, sorted[rank(sorted.length, series.quantile())] / 1e6);
                if (sorted.length > 0) {
                    low = Math.min(low, values[i][s]);
                    high = Math.max(high, values[i][s]);
                }
            }
        }
        int lowDecade = high == 0 ? 0 : (int) Math.floor(Math.log10(low));
        int highDecade = high == 0 ? 1 : Math.max(lowDecade + 1, (int) Math.ceil(Math.log10(high)));

        int lanes = shading.lanesHeight();
        ChartFrame frame = new ChartFrame(1100, 10 + lanes + 240 + 40, 60, 10 + lanes, 240, 0, seconds * SECOND);
        StringBuilder svg = new StringBuilder(frame.open("latency of acknowledged ops per second (ms, log scale)"));
        for (int decade = lowDecade; decade <= highDecade; decade++) {
            double py = y(frame, Math.pow(10, decade), lowDecade, highDecade);
            svg.append("<line x1=\"").append(frame.left()).append("\" y1=\"").append(Html.number(py))
                    .append("\" x2=\"").append(Html.number(frame.left() + frame.plotWidth())).append("\" y2=\"")
                    .append(Html.number(py)).append("\" stroke=\"#eee\"/><text x=\"").append(frame.left() - 5)
                    .append("\" y=\"").append(Html.number(py + 4)).append("\" class=\"tick\" text-anchor=\"end\">")
                    .append(decadeLabel(decade)).append("</text>\n");
        }
        for (int i = 0; i < SERIES.size(); i++) {
            String path = line(frame, values[i], lowDecade, highDecade);
            if (!path.isEmpty()) {
                Series series = SERIES.get(i);
                svg.append("<path fill=\"none\" stroke=\"").append(series.colour()).append("\" stroke-width=\"")
                        .append(series.quantile() == 0.5 ? "2" : "1.2").append('"')
                        .append(series.dash().isEmpty() ? "" : " stroke-dasharray=\"" + series.dash() + "\"")
                        .append(" d=\"").append(path).append("\"><title>").append(series.name())
                        .append("</title></path>\n");
            }
        }
        shading.draw(svg, frame);
        frame.timeAxis(svg, false);
        svg.append("<text x=\"12\" y=\"").append(Html.number(frame.top() + frame.plotHeight() / 2.0))
                .append("\" class=\"tick\" transform=\"rotate(-90 12 ").append(Html.number(frame.top()
                        + frame.plotHeight() / 2.0)).append(")\" text-anchor=\"middle\">latency (ms)</text>\n");
        return svg.append("</svg>\n").toString();
    }

    /** An HTML legend of the six lines. */
    static String legend() {
        StringBuilder html = new StringBuilder("<div class=\"legend\">");
        for (Series series : SERIES) {
            html.append("<svg width=\"30\" height=\"10\"><line x1=\"0\" y1=\"5\" x2=\"30\" y2=\"5\" stroke=\"")
                    .append(series.colour()).append("\" stroke-width=\"2\"")
                    .append(series.dash().isEmpty() ? "" : " stroke-dasharray=\"" + series.dash() + "\"")
                    .append("/></svg> ").append(series.name()).append(" &nbsp; ");
        }
        return html.append("</div>\n").toString();
    }

    /** Sorted latencies of the acknowledged reads (or writes) invoked in every second. */
    private static long[][] latencies(List<Op> ops, int seconds, boolean reads) {
        int[] counts = new int[seconds];
        List<Op> chosen = new ArrayList<>();
        for (Op op : ops) {
            if (op.ok() && (op.fn() == Fn.READ) == reads) {
                chosen.add(op);
                counts[second(op, seconds)]++;
            }
        }
        long[][] latencies = new long[seconds][];
        for (int s = 0; s < seconds; s++) {
            latencies[s] = new long[counts[s]];
        }
        int[] filled = new int[seconds];
        for (Op op : chosen) {
            int s = second(op, seconds);
            latencies[s][filled[s]++] = op.completeNanos() - op.invokeNanos();
        }
        for (long[] second : latencies) {
            Arrays.sort(second);
        }
        return latencies;
    }

    private static int second(Op op, int seconds) {
        return (int) Math.min(seconds - 1, op.invokeNanos() / SECOND);
    }

    /** The nearest-rank index of a quantile among {@code n} sorted values. */
    private static int rank(int n, double quantile) {
        return Math.max(0, (int) Math.ceil(quantile * n) - 1);
    }

    /** A path through the seconds with data, broken where a second has none; a lone point becomes a dash. */
    private static String line(ChartFrame frame, double[] values, int lowDecade, int highDecade) {
        StringBuilder path = new StringBuilder();
        int points = 0;
        for (int s = 0; s <= values.length; s++) {
            if (s == values.length || Double.isNaN(values[s])) {
                if (points == 1) {
                    path.append("h1");
                }
                points = 0;
                continue;
            }
            path.append(points == 0 ? 'M' : 'L').append(Html.number(frame.x(s * SECOND + SECOND / 2))).append(' ')
                    .append(Html.number(y(frame, values[s], lowDecade, highDecade)));
            points++;
        }
        return path.toString();
    }

    private static double y(ChartFrame frame, double millis, int lowDecade, int highDecade) {
        double fraction = (Math.log10(millis) - lowDecade) / (highDecade - lowDecade);
        return frame.bottom() - fraction * frame.plotHeight();
    }

    private static String decadeLabel(int decade) {
        return decade >= 0 ? String.format(Locale.ROOT, "%.0f", Math.pow(10, decade))
                : String.format(Locale.ROOT, "%." + (-decade) + "f", Math.pow(10, decade));
    }
}
