package io.raftkv.verify.report;

import java.util.Locale;

/**
 * The geometry of one chart: an SVG of fixed size with a plot area inside its margins, and a time
 * window mapped onto the plot's width. Draws the frame, the time axis and the opening tag.
 *
 * @param width      SVG width in px
 * @param height     SVG height in px
 * @param left       left margin (y axis labels)
 * @param top        top margin (fault lanes)
 * @param plotHeight height of the plot area
 * @param startNanos time at the plot's left edge
 * @param endNanos   time at the plot's right edge, after {@code startNanos}
 */
record ChartFrame(int width, int height, int left, int top, int plotHeight, long startNanos, long endNanos) {

    /** Right margin. */
    static final int RIGHT = 20;

    /** Checks the window. */
    ChartFrame {
        if (endNanos <= startNanos) {
            throw new IllegalArgumentException("empty time window");
        }
    }

    /** Width of the plot area. */
    double plotWidth() {
        return width - left - RIGHT;
    }

    /** Bottom edge of the plot area. */
    double bottom() {
        return top + plotHeight;
    }

    /** Horizontal position of a time, clamped to the plot. */
    double x(long nanos) {
        double fraction = (double) (Math.min(Math.max(nanos, startNanos), endNanos) - startNanos)
                / (endNanos - startNanos);
        return left + fraction * plotWidth();
    }

    /** The opening {@code <svg>} tag with an accessible title. */
    String open(String title) {
        return "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" + width + "\" height=\"" + height
                + "\" viewBox=\"0 0 " + width + " " + height + "\" role=\"img\"><title>" + Html.escape(title)
                + "</title>\n";
    }

    /**
     * Draws the plot's border and a time axis below it, with about ten ticks labelled in
     * seconds or milliseconds from the start of the run.
     *
     * @param svg          where to draw
     * @param milliseconds label in ms rather than s
     */
    void timeAxis(StringBuilder svg, boolean milliseconds) {
        svg.append("<rect x=\"").append(left).append("\" y=\"").append(top).append("\" width=\"")
                .append(Html.number(plotWidth())).append("\" height=\"").append(plotHeight)
                .append("\" fill=\"none\" stroke=\"#999\"/>\n");
        double unit = milliseconds ? 1e6 : 1e9;
        double span = (endNanos - startNanos) / unit;
        double step = niceStep(span / 10);
        double first = Math.ceil(startNanos / unit / step) * step;
        for (int k = 0; first + k * step <= endNanos / unit + 1e-9; k++) {
            double t = first + k * step;
            double x = x(Math.round(t * unit));
            svg.append("<line x1=\"").append(Html.number(x)).append("\" y1=\"").append(Html.number(bottom()))
                    .append("\" x2=\"").append(Html.number(x)).append("\" y2=\"").append(Html.number(bottom() + 5))
                    .append("\" stroke=\"#666\"/><text x=\"").append(Html.number(x)).append("\" y=\"")
                    .append(Html.number(bottom() + 17)).append("\" class=\"tick\" text-anchor=\"middle\">")
                    .append(label(t, step)).append("</text>\n");
        }
        svg.append("<text x=\"").append(Html.number(left + plotWidth())).append("\" y=\"")
                .append(Html.number(bottom() + 32)).append("\" class=\"tick\" text-anchor=\"end\">")
                .append(milliseconds ? "time since start (ms)" : "time since start (s)").append("</text>\n");
    }

    /**
     * A step of 1, 2 or 5 times a power of ten, at least {@code rough}.
     *
     * @param rough the smallest acceptable step, positive
     * @return the step
     */
    static double niceStep(double rough) {
        double power = Math.pow(10, Math.floor(Math.log10(rough)));
        for (double multiple : new double[] {1, 2, 5, 10}) {
            if (multiple * power >= rough * (1 - 1e-9)) {
                return multiple * power;
            }
        }
        return 10 * power;
    }

    private static String label(double value, double step) {
        if (step >= 1) {
            return Long.toString(Math.round(value));
        }
        int decimals = (int) Math.ceil(-Math.log10(step) - 1e-9);
        return String.format(Locale.ROOT, "%." + decimals + "f", value);
    }
}
