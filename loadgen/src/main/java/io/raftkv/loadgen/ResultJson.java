package io.raftkv.loadgen;

import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The machine-readable report of a {@link LoadResult}: one JSON object with the run's shape, the
 * elapsed time and, per operation type, the count, rate, latency percentiles in microseconds,
 * errors by kind and read misses. {@code bench compare} reads these files back with {@link Json}.
 */
public final class ResultJson {
    /** Bumped when a field changes meaning; readers check it. */
    public static final int FORMAT = 1;

    private ResultJson() {
    }

    public static String write(LoadResult result) {
        LoadConfig c = result.config();
        StringBuilder json = new StringBuilder(1024);
        json.append("{\n  \"format\": ").append(FORMAT)
                .append(",\n  \"tool\": \"raftkv-loadgen\"")
                .append(",\n  \"system\": ").append(string(result.system()))
                .append(",\n  \"workload\": ").append(string(result.workload()))
                .append(",\n  \"startedAt\": ").append(string(result.startedAt().toString()))
                .append(",\n  \"config\": {")
                .append("\"endpoints\": [").append(c.endpoints().stream().map(e -> string(e.toString()))
                        .collect(Collectors.joining(", "))).append(']')
                .append(", \"clients\": ").append(c.clients())
                .append(", \"connections\": ").append(c.connections())
                .append(", \"pipeline\": ").append(c.pipeline())
                .append(", \"durationSeconds\": ").append(number(c.byTotal() ? 0 : c.duration().toMillis() / 1e3))
                .append(", \"totalOps\": ").append(c.totalOps())
                .append(", \"warmupSeconds\": ").append(number(c.warmup().toMillis() / 1e3))
                .append(", \"valueBytes\": ").append(c.valueBytes())
                .append(", \"keys\": ").append(c.keys())
                .append(", \"readRatio\": ").append(number(c.readRatio()))
                .append(", \"readMode\": ").append(string(result.readModeLabel()))
                .append(", \"timeoutMillis\": ").append(c.timeout().toMillis())
                .append("}")
                .append(",\n  \"elapsedSeconds\": ").append(number(result.elapsedSeconds()))
                .append(",\n  \"totalOps\": ").append(result.totalOps())
                .append(",\n  \"opsPerSecond\": ").append(number(result.opsPerSecond()))
                .append(",\n  \"errorCount\": ").append(result.errorCount())
                .append(",\n  \"errors\": ").append(counts(result.errors()))
                .append(",\n  \"unfinished\": ").append(result.unfinished())
                .append(",\n  \"ops\": {");
        String separator = "\n";
        for (Map.Entry<OpType, OpSummary> entry : result.ops().entrySet()) {
            OpSummary op = entry.getValue();
            json.append(separator).append("    ").append(string(entry.getKey().label)).append(": {")
                    .append("\"count\": ").append(op.count())
                    .append(", \"opsPerSecond\": ").append(number(op.opsPerSecond()))
                    .append(", \"latencyMicros\": {\"mean\": ").append(number(op.meanMicros()))
                    .append(", \"p50\": ").append(number(op.p50Micros()))
                    .append(", \"p90\": ").append(number(op.p90Micros()))
                    .append(", \"p99\": ").append(number(op.p99Micros()))
                    .append(", \"p99.9\": ").append(number(op.p999Micros()))
                    .append(", \"max\": ").append(number(op.maxMicros())).append('}')
                    .append(", \"errors\": ").append(counts(op.errors()))
                    .append(", \"misses\": ").append(op.misses())
                    .append(", \"errorSamples\": ").append(op.errorSamples().entrySet().stream()
                            .map(e -> string(e.getKey()) + ": " + string(e.getValue()))
                            .collect(Collectors.joining(", ", "{", "}"))).append('}');
            separator = ",\n";
        }
        return json.append("\n  }\n}\n").toString();
    }

    private static String counts(Map<String, Long> counts) {
        return counts.entrySet().stream().map(e -> string(e.getKey()) + ": " + e.getValue())
                .collect(Collectors.joining(", ", "{", "}"));
    }

    private static String number(double value) {
        return Double.isFinite(value) ? String.format(Locale.ROOT, "%.3f", value) : "0";
    }

    /** A JSON string literal: quotes, backslashes and control characters escaped. */
    static String string(String value) {
        StringBuilder out = new StringBuilder(value.length() + 2).append('"');
        for (int i = 0; i < value.length(); i++) {
            char ch = value.charAt(i);
            switch (ch) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (ch < 0x20) {
                        out.append(String.format(Locale.ROOT, "\\u%04x", (int) ch));
                    } else {
                        out.append(ch);
                    }
                }
            }
        }
        return out.append('"').toString();
    }
}
