package io.raftkv.loadgen;

import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * What one run measured.
 *
 * @param system         the store, as its driver names it
 * @param readModeLabel  the read mode in the store's own words ({@code serializable} for etcd)
 * @param config         the run's shape
 * @param startedAt      wall-clock time the measured window opened
 * @param elapsedSeconds from the start of the measured window to the completion of the last
 *                       measured operation
 * @param ops            per operation type that ran
 * @param unfinished     measured operations still without an outcome when the run gave up waiting
 */
public record LoadResult(String system, String readModeLabel, LoadConfig config, Instant startedAt,
                         double elapsedSeconds, Map<OpType, OpSummary> ops, long unfinished) {
    public LoadResult {
        ops = Map.copyOf(new EnumMap<>(ops));
    }

    /** Successful measured operations of every type. */
    public long totalOps() {
        return ops.values().stream().mapToLong(OpSummary::count).sum();
    }

    public double opsPerSecond() {
        return elapsedSeconds > 0 ? totalOps() / elapsedSeconds : 0;
    }

    /** Failed measured operations by kind, over every operation type. */
    public Map<String, Long> errors() {
        Map<String, Long> all = new TreeMap<>();
        ops.values().forEach(op -> op.errors().forEach((kind, count) -> all.merge(kind, count, Long::sum)));
        return all;
    }

    public long errorCount() {
        return errors().values().stream().mapToLong(Long::longValue).sum();
    }

    /** What the run did, e.g. {@code writes} or {@code serializable reads}. */
    public String workload() {
        LoadConfig c = config;
        if (c.readRatio() == 0) {
            return "writes";
        }
        return c.readRatio() == 1 ? readModeLabel + " reads" : "mixed " + Math.round(c.readRatio() * 100) + "% reads";
    }
}
