package io.raftkv.loadgen;

import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import org.HdrHistogram.Histogram;

/**
 * The line printed every second while a run goes on: per operation type the completions of the
 * last second with their median and 99th percentile, and the failures. Warm-up seconds are marked,
 * as their operations do not count.
 */
final class ProgressReporter {
    private final PrintStream out;
    private final List<OpStats> stats;
    private final RunWindow window;
    private final long startNanos;
    private long lastNanos;

    ProgressReporter(PrintStream out, List<OpStats> stats, RunWindow window, long startNanos) {
        this.out = out;
        this.stats = stats;
        this.window = window;
        this.startNanos = startNanos;
        this.lastNanos = startNanos;
    }

    /** Prints one line covering the time since the previous call. */
    void report() {
        long now = System.nanoTime();
        double seconds = Math.max(1e-9, (now - lastNanos) / 1e9);
        lastNanos = now;
        StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "[%6.1fs] %-7s", (now - startNanos) / 1e9,
                window.warmingUp(now) ? "warmup" : "measure"));
        long errors = 0;
        for (OpStats op : stats) {
            Histogram interval = op.takeInterval();
            errors += op.takeIntervalErrors();
            line.append(String.format(Locale.ROOT, " | %s %,9.0f/s p50 %s ms p99 %s ms", op.type.label,
                    interval.getTotalCount() / seconds, TextReport.millis(percentile(interval, 50)),
                    TextReport.millis(percentile(interval, 99))));
        }
        line.append(String.format(Locale.ROOT, " | errors %,d", errors));
        out.println(line);
        out.flush();
    }

    private static double percentile(Histogram histogram, double percentile) {
        return histogram.getTotalCount() == 0 ? 0 : histogram.getValueAtPercentile(percentile) / 1e3;
    }
}
