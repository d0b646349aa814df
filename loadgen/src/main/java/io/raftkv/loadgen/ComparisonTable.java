package io.raftkv.loadgen;

import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Puts the JSON reports of two systems side by side: one Markdown row per load shape (workload,
 * value size, clients) with each system's throughput, median and 99th percentile, and the ratio of
 * throughputs (first / second). Shapes measured for only one system show a dash for the other.
 * Stale reads of raftkv and serializable reads of etcd are the same workload (local reads without
 * a quorum round).
 */
public final class ComparisonTable {
    private static final List<String> WORKLOAD_ORDER = List.of("writes", "linearizable reads", "lease reads",
            "stale/serializable reads");

    private ComparisonTable() {
    }

    /** The shape of one run: what the table lines up. */
    record Shape(String workload, long valueBytes, long clients) {
        static final Comparator<Shape> ORDER = Comparator
                .comparingInt((Shape s) -> WORKLOAD_ORDER.indexOf(s.workload) < 0 ? 99
                        : WORKLOAD_ORDER.indexOf(s.workload))
                .thenComparing(Shape::workload).thenComparingLong(Shape::valueBytes).thenComparingLong(Shape::clients);
    }

    /**
     * @param reports parsed JSON reports ({@link Json#parse}) of both systems, in any order
     * @param first   the system whose throughput is the ratio's numerator, e.g. {@code raftkv}
     * @param second  the other, e.g. {@code etcd}
     */
    public static String render(List<Object> reports, String first, String second) {
        Map<Shape, Map<String, Object>> cells = new TreeMap<>(Shape.ORDER);
        for (Object report : reports) {
            Shape shape = shapeOf(report);
            cells.computeIfAbsent(shape, s -> new LinkedHashMap<>()).put(String.valueOf(Json.path(report, "system")),
                    report);
        }
        StringBuilder table = new StringBuilder();
        table.append(String.format(Locale.ROOT, "| workload | value | clients | %1$s ops/s | %2$s ops/s | ratio | "
                + "%1$s p50 ms | %2$s p50 ms | %1$s p99 ms | %2$s p99 ms | errors %1$s / %2$s |%n", first, second));
        table.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|\n");
        for (Map.Entry<Shape, Map<String, Object>> cell : cells.entrySet()) {
            Shape shape = cell.getKey();
            Object a = cell.getValue().get(first);
            Object b = cell.getValue().get(second);
            double rateA = Json.number(a, Double.NaN, "opsPerSecond");
            double rateB = Json.number(b, Double.NaN, "opsPerSecond");
            String op = shape.workload.equals("writes") ? "write" : "read";
            table.append(String.format(Locale.ROOT, "| %s | %s | %d | %s | %s | %s | %s | %s | %s | %s | %s / %s |%n",
                    shape.workload, bytes(shape.valueBytes), shape.clients, rate(rateA), rate(rateB),
                    rateA > 0 && rateB > 0 ? String.format(Locale.ROOT, "%.2f×", rateA / rateB) : "–",
                    latency(a, op, "p50"), latency(b, op, "p50"), latency(a, op, "p99"), latency(b, op, "p99"),
                    errors(a), errors(b)));
        }
        return table.toString();
    }

    /** The load shape of one report, from its config. */
    static Shape shapeOf(Object report) {
        double readRatio = Json.number(report, 0, "config", "readRatio");
        String mode = String.valueOf(Json.path(report, "config", "readMode"));
        String workload;
        if (readRatio == 0) {
            workload = "writes";
        } else if (readRatio < 1) {
            workload = String.format(Locale.ROOT, "mixed %.0f%% %s reads", readRatio * 100, mode);
        } else if (mode.equals("stale") || mode.equals("serializable")) {
            workload = "stale/serializable reads";
        } else {
            workload = mode + " reads";
        }
        return new Shape(workload, (long) Json.number(report, 0, "config", "valueBytes"),
                (long) Json.number(report, 0, "config", "clients"));
    }

    private static String rate(double value) {
        return Double.isNaN(value) ? "–" : String.format(Locale.ROOT, "%,.0f", value);
    }

    private static String latency(Object report, String op, String percentile) {
        double micros = Json.number(report, Double.NaN, "ops", op, "latencyMicros", percentile);
        return Double.isNaN(micros) ? "–" : TextReport.millis(micros);
    }

    private static String errors(Object report) {
        return report == null ? "–" : String.format(Locale.ROOT, "%.0f", Json.number(report, 0, "errorCount"));
    }

    private static String bytes(long value) {
        return value >= 1024 && value % 1024 == 0 ? value / 1024 + " KiB" : value + " B";
    }
}
