package io.raftkv.lincheck;

import java.time.Duration;

/** A monotonic time budget, immune to overflow for very long durations. */
final class Deadline {

    private final long start = System.nanoTime();
    private final long budgetNanos;

    Deadline(Duration timeout) {
        long nanos;
        try {
            nanos = timeout.toNanos();
        } catch (ArithmeticException tooLong) {
            nanos = Long.MAX_VALUE;
        }
        budgetNanos = Math.max(0, nanos);
    }

    boolean expired() {
        return System.nanoTime() - start >= budgetNanos;
    }
}
