package io.raftkv.loadgen;

import java.util.Map;
import java.util.TreeMap;
import org.HdrHistogram.Histogram;

/**
 * The measured outcome of one operation type. Latencies are of successful operations only, in
 * microseconds, from handing the request to the driver until the reply (so they include time
 * queued behind other requests pipelined on the same connection).
 *
 * @param count        successful operations
 * @param opsPerSecond successful operations per second of the measured window
 * @param errors       failed operations by kind
 * @param misses       successful reads that found no value (0 for writes)
 * @param errorSamples the first message of each error kind, warm-up included
 */
public record OpSummary(long count, double opsPerSecond, double meanMicros, double p50Micros, double p90Micros,
                        double p99Micros, double p999Micros, double maxMicros, Map<String, Long> errors,
                        long misses, Map<String, String> errorSamples) {
    public OpSummary {
        errors = Map.copyOf(new TreeMap<>(errors));
        errorSamples = Map.copyOf(errorSamples);
    }

    static OpSummary of(Histogram latency, double elapsedSeconds, Map<String, Long> errors, long misses,
                        Map<String, String> errorSamples) {
        long count = latency.getTotalCount();
        return new OpSummary(count, elapsedSeconds > 0 ? count / elapsedSeconds : 0,
                count == 0 ? 0 : latency.getMean() / 1e3, micros(latency, 50), micros(latency, 90),
                micros(latency, 99), micros(latency, 99.9), count == 0 ? 0 : latency.getMaxValue() / 1e3, errors,
                misses, errorSamples);
    }

    private static double micros(Histogram latency, double percentile) {
        return latency.getTotalCount() == 0 ? 0 : latency.getValueAtPercentile(percentile) / 1e3;
    }

    /** Failed operations of every kind. */
    public long errorCount() {
        return errors.values().stream().mapToLong(Long::longValue).sum();
    }
}
