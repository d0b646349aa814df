package io.raftkv.verify.report;

import io.raftkv.verify.check.OpText;
import io.raftkv.verify.history.FaultInterval;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Shows faults on every time chart the same way: one colour per nemesis (in order of first
 * appearance), a thin lane per nemesis above the plot, and a translucent band over the plot for
 * each fault, with the fault's description as an SVG tooltip, so that a dip in throughput or a
 * latency spike lines up visibly with its cause.
 */
final class FaultShading {

    /** Lane height above a plot, per nemesis. */
    static final int LANE = 8;

    /** Kept apart from the outcome colours (green, red, orange) so that a fault never reads as an outcome. */
    private static final String[] PALETTE = {
        "#9467bd", "#8c564b", "#17becf", "#e377c2", "#bcbd22", "#1f77b4", "#7f7f7f", "#393b79",
    };

    private final List<FaultInterval> faults;
    private final Map<String, String> colours = new LinkedHashMap<>();

    FaultShading(List<FaultInterval> faults) {
        this.faults = List.copyOf(faults);
        for (FaultInterval fault : faults) {
            colours.computeIfAbsent(fault.nemesis(), n -> PALETTE[colours.size() % PALETTE.length]);
        }
    }

    /** Height of the lanes above a plot. */
    int lanesHeight() {
        return colours.size() * LANE + (colours.isEmpty() ? 0 : 4);
    }

    /**
     * Draws the lanes above the plot and the bands over it, for faults overlapping the frame's
     * window.
     *
     * @param svg   where to draw
     * @param frame the chart
     */
    void draw(StringBuilder svg, ChartFrame frame) {
        List<String> nemeses = new ArrayList<>(colours.keySet());
        double lanesTop = frame.top() - lanesHeight();
        for (FaultInterval fault : faults) {
            if (fault.endNanos() < frame.startNanos() || fault.startNanos() > frame.endNanos()) {
                continue;
            }
            double x1 = frame.x(fault.startNanos());
            double width = Math.max(1, frame.x(fault.endNanos()) - x1);
            String colour = colours.get(fault.nemesis());
            String title = "<title>" + Html.escape(fault.nemesis() + ": " + fault.description() + " ("
                    + OpText.millis(fault.startNanos()) + " to "
                    + OpText.millis(fault.endNanos()) + " ms)") + "</title>";
            double laneY = lanesTop + nemeses.indexOf(fault.nemesis()) * LANE;
            svg.append("<rect x=\"").append(Html.number(x1)).append("\" y=\"").append(Html.number(laneY))
                    .append("\" width=\"").append(Html.number(width)).append("\" height=\"").append(LANE - 1)
                    .append("\" fill=\"").append(colour).append("\">").append(title).append("</rect>")
                    .append("<rect x=\"").append(Html.number(x1)).append("\" y=\"").append(frame.top())
                    .append("\" width=\"").append(Html.number(width)).append("\" height=\"")
                    .append(frame.plotHeight()).append("\" fill=\"").append(colour)
                    .append("\" fill-opacity=\"0.15\">").append(title).append("</rect>\n");
        }
    }

    /** An HTML legend of the nemeses' colours, empty without faults. */
    String legend() {
        if (colours.isEmpty()) {
            return "";
        }
        StringBuilder html = new StringBuilder("<div class=\"legend\">faults: ");
        colours.forEach((nemesis, colour) -> html.append("<span class=\"swatch\" style=\"background:").append(colour)
                .append("\"></span>").append(Html.escape(nemesis)).append(' '));
        return html.append("</div>\n").toString();
    }
}
