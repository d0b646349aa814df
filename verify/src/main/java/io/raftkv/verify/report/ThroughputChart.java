package io.raftkv.verify.report;

import io.raftkv.verify.history.Op;
import io.raftkv.verify.history.Outcome;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Chart 1: ops completed per second, as bars stacked by outcome, with the faults shaded. One path
 * per outcome holds all its bars, so the chart's size grows with the run's length in seconds,
 * never with the number of ops.
 */
final class ThroughputChart {

    private static final long SECOND = 1_000_000_000L;
    private static final Outcome[] STACK = {Outcome.OK, Outcome.FAIL, Outcome.UNKNOWN};

    private ThroughputChart() {
    }

    /**
     * @param ops      the history
     * @param shading  the faults
     * @param endNanos the end of the time axis
     * @return the SVG
     */
    static String render(List<Op> ops, FaultShading shading, long endNanos) {
        int seconds = (int) Math.max(1, (endNanos + SECOND - 1) / SECOND);
        Map<Outcome, long[]> counts = new EnumMap<>(Outcome.class);
        for (Outcome outcome : STACK) {
            counts.put(outcome, new long[seconds]);
        }
        long[] totals = new long[seconds];
        for (Op op : ops) {
            int second = (int) Math.min(seconds - 1, op.completeNanos() / SECOND);
            counts.get(op.outcome())[second]++;
            totals[second]++;
        }
        long peak = Math.max(1, Arrays.stream(totals).max().orElse(1));
        double step = Math.max(1, ChartFrame.niceStep(peak / 5.0));
        double top = Math.ceil(peak / step) * step;

        int lanes = shading.lanesHeight();
        ChartFrame frame = new ChartFrame(1100, 10 + lanes + 200 + 40, 60, 10 + lanes, 200, 0, seconds * SECOND);
        StringBuilder svg = new StringBuilder(frame.open("ops completed per second, by outcome"));
        for (double y = 0; y <= top + 1e-9; y += step) {
            double py = frame.bottom() - y / top * frame.plotHeight();
            svg.append("<line x1=\"").append(frame.left()).append("\" y1=\"").append(Html.number(py))
                    .append("\" x2=\"").append(Html.number(frame.left() + frame.plotWidth())).append("\" y2=\"")
                    .append(Html.number(py)).append("\" stroke=\"#eee\"/><text x=\"").append(frame.left() - 5)
                    .append("\" y=\"").append(Html.number(py + 4)).append("\" class=\"tick\" text-anchor=\"end\">")
                    .append(Math.round(y)).append("</text>\n");
        }
        double barWidth = Math.max(0.5, frame.plotWidth() / seconds - (seconds < 300 ? 1 : 0));
        long[] base = new long[seconds];
        for (Outcome outcome : STACK) {
            StringBuilder path = new StringBuilder();
            long[] row = counts.get(outcome);
            for (int s = 0; s < seconds; s++) {
                if (row[s] == 0) {
                    continue;
                }
                double y0 = frame.bottom() - base[s] / top * frame.plotHeight();
                double height = row[s] / top * frame.plotHeight();
                path.append('M').append(Html.number(frame.x(s * SECOND))).append(' ').append(Html.number(y0 - height))
                        .append('h').append(Html.number(barWidth)).append('v').append(Html.number(height))
                        .append('h').append(Html.number(-barWidth)).append('z');
                base[s] += row[s];
            }
            if (path.length() > 0) {
                svg.append("<path fill=\"").append(Outcomes.colour(outcome)).append("\" d=\"").append(path)
                        .append("\"><title>").append(outcome.name().toLowerCase(Locale.ROOT))
                        .append("</title></path>\n");
            }
        }
        shading.draw(svg, frame);
        frame.timeAxis(svg, false);
        svg.append("<text x=\"12\" y=\"").append(Html.number(frame.top() + frame.plotHeight() / 2.0))
                .append("\" class=\"tick\" transform=\"rotate(-90 12 ").append(Html.number(frame.top()
                        + frame.plotHeight() / 2.0)).append(")\" text-anchor=\"middle\">ops/s</text>\n");
        return svg.append("</svg>\n").toString();
    }
}
