package io.raftkv.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Repeated measurements of one figure (milliseconds per trial) and their order statistics. With
 * few trials the high percentiles are the largest samples: p99 of 20 trials is the maximum, which
 * the summary says rather than pretending to more resolution.
 */
final class BenchTrials {
    private final String name;
    private final List<Double> millis = new ArrayList<>();

    BenchTrials(String name) {
        this.name = name;
    }

    void add(double value) {
        millis.add(value);
    }

    int count() {
        return millis.size();
    }

    /** Nearest-rank percentile: the smallest sample with at least {@code percentile} % of samples at or below it. */
    double percentile(double percentile) {
        if (millis.isEmpty()) {
            return Double.NaN;
        }
        List<Double> sorted = millis.stream().sorted().toList();
        int rank = (int) Math.ceil(percentile / 100.0 * sorted.size());
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, rank - 1)));
    }

    String summary() {
        return String.format(Locale.ROOT, "%s over %d trials: median %,.0f ms, p90 %,.0f ms, p99 %,.0f ms%s, min %,.0f"
                        + " ms, max %,.0f ms", name, count(), percentile(50), percentile(90), percentile(99),
                count() < 100 ? " (fewer than 100 trials: the largest sample)" : "", percentile(0),
                percentile(100));
    }

    /** A JSON object with the samples and their order statistics. */
    String json() {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("trials", Integer.toString(count()));
        fields.put("medianMillis", number(percentile(50)));
        fields.put("p90Millis", number(percentile(90)));
        fields.put("p99Millis", number(percentile(99)));
        fields.put("minMillis", number(percentile(0)));
        fields.put("maxMillis", number(percentile(100)));
        fields.put("samplesMillis", millis.stream().map(BenchTrials::number).collect(Collectors.joining(", ", "[", "]")));
        return fields.entrySet().stream().map(e -> "\"" + e.getKey() + "\": " + e.getValue())
                .collect(Collectors.joining(", ", "{", "}"));
    }

    private static String number(double value) {
        return Double.isNaN(value) ? "null" : String.format(Locale.ROOT, "%.1f", value);
    }
}
