package io.raftkv.loadgen;

import java.io.PrintStream;
import java.util.Locale;
import java.util.Map;

/** The human-readable summary of a {@link LoadResult}. */
public final class TextReport {
    private TextReport() {
    }

    public static void print(LoadResult result, PrintStream out) {
        LoadConfig c = result.config();
        out.printf(Locale.ROOT, "%s %s: %d clients on %d connections to %s, pipeline %d, %d B values, %,d keys, read"
                        + " mode %s%n", result.system(), result.workload(), c.clients(), c.connections(), c.endpoints(),
                c.pipeline(), c.valueBytes(), c.keys(), result.readModeLabel());
        out.printf(Locale.ROOT, "measured %.2f s after %d ms warm-up: %,d ops, %,.0f ops/s, %,d errors%s%n",
                result.elapsedSeconds(), c.warmup().toMillis(), result.totalOps(), result.opsPerSecond(),
                result.errorCount(), result.unfinished() > 0 ? ", " + result.unfinished() + " client slots unfinished"
                        : "");
        out.printf("%-6s %12s %10s %10s %10s %10s %10s %10s %10s  %s%n", "op", "ops", "ops/s", "mean ms", "p50 ms",
                "p90 ms", "p99 ms", "p99.9 ms", "max ms", "errors");
        for (Map.Entry<OpType, OpSummary> entry : result.ops().entrySet()) {
            OpSummary op = entry.getValue();
            out.printf(Locale.ROOT, "%-6s %,12d %,10.0f %10s %10s %10s %10s %10s %10s  %s%s%n", entry.getKey().label,
                    op.count(), op.opsPerSecond(), millis(op.meanMicros()), millis(op.p50Micros()),
                    millis(op.p90Micros()), millis(op.p99Micros()), millis(op.p999Micros()), millis(op.maxMicros()),
                    op.errors().isEmpty() ? "none" : op.errors(), op.misses() > 0 ? ", " + op.misses() + " misses" : "");
        }
        for (Map.Entry<OpType, OpSummary> entry : result.ops().entrySet()) {
            entry.getValue().errorSamples().forEach((kind, message) -> out.printf("  first %s %s error: %s%n",
                    entry.getKey().label, kind, message.length() > 300 ? message.substring(0, 300) + "..." : message));
        }
    }

    /** Microseconds as milliseconds with three significant digits. */
    static String millis(double micros) {
        double ms = micros / 1e3;
        if (ms >= 100) {
            return String.format(Locale.ROOT, "%.0f", ms);
        }
        return ms >= 10 ? String.format(Locale.ROOT, "%.1f", ms) : String.format(Locale.ROOT, "%.2f", ms);
    }
}
