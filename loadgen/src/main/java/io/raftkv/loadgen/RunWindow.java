package io.raftkv.loadgen;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAccumulator;

/**
 * Decides, when a client is about to start an operation, whether it may and whether it counts. An
 * operation counts if it <em>starts</em> inside the measured window, so the warm-up's operations
 * stay out of the results however late they complete, and every counted operation completes (or
 * fails) before the run ends.
 */
final class RunWindow {
    enum Admission { WARMUP, MEASURED, STOP }

    private final long measureStartNanos;
    private final long measureEndNanos;
    private final boolean byTotal;
    private final AtomicLong permits;
    private final LongAccumulator lastMeasuredCompletion = new LongAccumulator(Math::max, Long.MIN_VALUE);
    private volatile boolean stopped;

    RunWindow(long startNanos, LoadConfig config) {
        this.measureStartNanos = startNanos + config.warmup().toNanos();
        this.byTotal = config.byTotal();
        this.measureEndNanos = byTotal ? Long.MAX_VALUE : measureStartNanos + config.duration().toNanos();
        this.permits = new AtomicLong(config.totalOps());
    }

    Admission admit(long nowNanos) {
        if (stopped) {
            return Admission.STOP;
        }
        if (nowNanos - measureStartNanos < 0) {
            return Admission.WARMUP;
        }
        if (byTotal) {
            if (permits.getAndDecrement() > 0) {
                return Admission.MEASURED;
            }
            stopped = true;
            return Admission.STOP;
        }
        if (nowNanos - measureEndNanos < 0) {
            return Admission.MEASURED;
        }
        stopped = true;
        return Admission.STOP;
    }

    void measuredCompleted(long nowNanos) {
        lastMeasuredCompletion.accumulate(nowNanos);
    }

    /** Ends the run early: no client starts another operation. */
    void stop() {
        stopped = true;
    }

    boolean warmingUp(long nowNanos) {
        return nowNanos - measureStartNanos < 0;
    }

    long measureStartNanos() {
        return measureStartNanos;
    }

    /** Seconds from the window's start to the last measured completion (0 if none). */
    double elapsedSeconds() {
        long last = lastMeasuredCompletion.get();
        return last == Long.MIN_VALUE ? 0 : Math.max(0, last - measureStartNanos) / 1e9;
    }
}
