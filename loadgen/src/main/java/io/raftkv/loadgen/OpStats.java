package io.raftkv.loadgen;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Outcomes of one operation type, recorded from any thread without locks. Two sets: the measured
 * operations (those that started inside the measured window) for the final report, and every
 * operation, warm-up included, swapped out each second for the progress line.
 */
final class OpStats {
    /** Latencies above ten minutes are recorded as ten minutes; no operation timeout is that long. */
    static final long HIGHEST_NANOS = TimeUnit.MINUTES.toNanos(10);

    final OpType type;
    private final Recorder measured = new Recorder(1, HIGHEST_NANOS, 3);
    private final Recorder interval = new Recorder(1, HIGHEST_NANOS, 3);
    private final Map<String, LongAdder> measuredErrors = new ConcurrentHashMap<>();
    private final LongAdder intervalErrors = new LongAdder();
    private final LongAdder measuredMisses = new LongAdder();
    /** The first message of each error kind, to tell what the failures were. */
    private final Map<String, String> errorSamples = new ConcurrentHashMap<>();
    private Histogram measuredTotal;

    OpStats(OpType type) {
        this.type = type;
    }

    void success(long latencyNanos, boolean inWindow) {
        long value = Math.max(1, Math.min(latencyNanos, HIGHEST_NANOS));
        interval.recordValue(value);
        if (inWindow) {
            measured.recordValue(value);
        }
    }

    /** A read that completed but found no value: the key space was not preloaded, or a stale read. */
    void miss(boolean inWindow) {
        if (inWindow) {
            measuredMisses.increment();
        }
    }

    void failure(String kind, String message, boolean inWindow) {
        intervalErrors.increment();
        errorSamples.putIfAbsent(kind, String.valueOf(message));
        if (inWindow) {
            measuredErrors.computeIfAbsent(kind, k -> new LongAdder()).increment();
        }
    }

    /** The latencies of every operation since the previous call, for the progress line. */
    Histogram takeInterval() {
        return interval.getIntervalHistogram();
    }

    /** Failures of every operation since the previous call. */
    long takeIntervalErrors() {
        return intervalErrors.sumThenReset();
    }

    /** The measured latencies so far; later calls return the earlier ones plus what came since. */
    synchronized Histogram measured() {
        Histogram latest = measured.getIntervalHistogram();
        if (measuredTotal == null) {
            measuredTotal = latest;
        } else {
            measuredTotal.add(latest);
        }
        return measuredTotal.copy();
    }

    /** Measured failures by kind, sorted by kind. */
    Map<String, Long> errors() {
        Map<String, Long> errors = new TreeMap<>();
        measuredErrors.forEach((kind, count) -> errors.put(kind, count.sum()));
        return errors;
    }

    /** The first message seen of each error kind (warm-up included), sorted by kind. */
    Map<String, String> errorSamples() {
        return new TreeMap<>(errorSamples);
    }

    long misses() {
        return measuredMisses.sum();
    }
}
