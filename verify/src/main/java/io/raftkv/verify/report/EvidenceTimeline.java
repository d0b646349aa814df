package io.raftkv.verify.report;

import io.raftkv.verify.check.OpText;
import io.raftkv.verify.history.Op;
import io.raftkv.verify.history.Outcome;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The ops that prove a violation, on a timeline in ms: one row per process, a bar from invocation
 * to completion coloured by outcome and labelled like {@code R r3 -> "p1-9"}, faults shaded, as
 * in Jepsen's and Porcupine's timelines. An UNKNOWN op may take effect at any time after its
 * invocation, so its bar is hatched and runs to the right edge, with a tick where the client gave
 * up; since it overlaps the process's later ops, a row splits into lanes where needed.
 */
final class EvidenceTimeline {

    private static final int LANE_HEIGHT = 32;
    private static final long MIN_PADDING_NANOS = 1_000_000L;

    /** An op placed in its row: the lane and where its bar ends. */
    private record Placed(Op op, int lane, long endNanos) {
    }

    private EvidenceTimeline() {
    }

    /**
     * @param name     unique within the page, for the SVG pattern's id
     * @param evidence the ops, non-empty
     * @param shading  the faults
     * @return the SVG
     */
    static String render(String name, List<Op> evidence, FaultShading shading) {
        long first = evidence.stream().mapToLong(Op::invokeNanos).min().orElseThrow();
        long last = evidence.stream().mapToLong(Op::completeNanos).max().orElseThrow();
        long padding = Math.max(MIN_PADDING_NANOS, (last - first) / 20);
        long start = Math.max(0, first - padding);
        long end = last + padding;

        Map<Integer, List<Placed>> rows = new TreeMap<>();
        Map<Integer, Integer> lanesOfRow = new TreeMap<>();
        List<Op> sorted = new ArrayList<>(evidence);
        sorted.sort(Comparator.comparingLong(Op::invokeNanos).thenComparingLong(Op::index));
        for (Op op : sorted) {
            List<Placed> row = rows.computeIfAbsent(op.process(), p -> new ArrayList<>());
            long barEnd = op.outcome() == Outcome.UNKNOWN ? end : op.completeNanos();
            int lane = 0;
            while (occupied(row, lane, op.invokeNanos())) {
                lane++;
            }
            row.add(new Placed(op, lane, barEnd));
            lanesOfRow.merge(op.process(), lane + 1, Math::max);
        }
        int lanes = lanesOfRow.values().stream().mapToInt(Integer::intValue).sum();
        int top = 10 + shading.lanesHeight();
        ChartFrame frame = new ChartFrame(1100, top + lanes * LANE_HEIGHT + 40, 60, top, lanes * LANE_HEIGHT,
                start, end);
        String hatch = "hatch-" + name.replaceAll("[^A-Za-z0-9-]", "_");
        StringBuilder svg = new StringBuilder(frame.open("ops demonstrating the violation"))
                .append("<defs><pattern id=\"").append(hatch).append("\" width=\"6\" height=\"6\"")
                .append(" patternUnits=\"userSpaceOnUse\" patternTransform=\"rotate(45)\"><rect width=\"6\"")
                .append(" height=\"6\" fill=\"#ffe0c0\"/><line x1=\"0\" y1=\"0\" x2=\"0\" y2=\"6\" stroke=\"")
                .append(Outcomes.colour(Outcome.UNKNOWN)).append("\" stroke-width=\"3\"/></pattern></defs>\n");
        shading.draw(svg, frame);
        int laneOffset = 0;
        for (Map.Entry<Integer, List<Placed>> row : rows.entrySet()) {
            double rowTop = top + laneOffset * LANE_HEIGHT;
            int rowLanes = lanesOfRow.get(row.getKey());
            svg.append("<line x1=\"").append(frame.left()).append("\" y1=\"").append(Html.number(rowTop))
                    .append("\" x2=\"").append(Html.number(frame.left() + frame.plotWidth())).append("\" y2=\"")
                    .append(Html.number(rowTop)).append("\" stroke=\"#ddd\"/><text x=\"").append(frame.left() - 8)
                    .append("\" y=\"").append(Html.number(rowTop + rowLanes * LANE_HEIGHT / 2.0 + 4))
                    .append("\" text-anchor=\"end\">p").append(row.getKey()).append("</text>\n");
            for (Placed placed : row.getValue()) {
                bar(svg, frame, placed, rowTop + placed.lane() * LANE_HEIGHT, hatch);
            }
            laneOffset += rowLanes;
        }
        frame.timeAxis(svg, true);
        return svg.append("</svg>\n").toString();
    }

    private static boolean occupied(List<Placed> row, int lane, long invokeNanos) {
        return row.stream().anyMatch(p -> p.lane() == lane && p.endNanos() >= invokeNanos);
    }

    private static void bar(StringBuilder svg, ChartFrame frame, Placed placed, double laneTop, String hatch) {
        Op op = placed.op();
        double x1 = frame.x(op.invokeNanos());
        double width = Math.max(2, frame.x(placed.endNanos()) - x1);
        boolean unknown = op.outcome() == Outcome.UNKNOWN;
        String title = OpText.describe(op) + (op.error() == null ? "" : " error: " + op.error())
                + (unknown ? "; may take effect at any time after its invocation, or never" : "");
        svg.append("<g><title>").append(Html.escape(title)).append("</title><rect x=\"").append(Html.number(x1))
                .append("\" y=\"").append(Html.number(laneTop + 15)).append("\" width=\"").append(Html.number(width))
                .append("\" height=\"12\" rx=\"2\" fill=\"")
                .append(unknown ? "url(#" + hatch + ")" : Outcomes.colour(op.outcome()))
                .append("\" stroke=\"").append(Outcomes.colour(op.outcome())).append("\"/>");
        if (unknown) {
            double gaveUp = frame.x(op.completeNanos());
            svg.append("<line x1=\"").append(Html.number(gaveUp)).append("\" y1=\"").append(Html.number(laneTop + 12))
                    .append("\" x2=\"").append(Html.number(gaveUp)).append("\" y2=\"")
                    .append(Html.number(laneTop + 30)).append("\" stroke=\"#333\" stroke-width=\"1.5\"/>");
        }
        svg.append("<text x=\"").append(Html.number(x1)).append("\" y=\"").append(Html.number(laneTop + 12))
                .append("\" class=\"op\">").append(Html.escape(OpText.label(op))).append(" <tspan class=\"index\">#")
                .append(op.index()).append("</tspan></text></g>\n");
    }
}
