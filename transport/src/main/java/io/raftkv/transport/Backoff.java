package io.raftkv.transport;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * Delays between reconnect attempts to one peer: exponential from {@code min} to {@code max}, with
 * "equal jitter" (each delay is drawn from the upper half of the current step) so that servers that
 * lost a peer at the same moment do not reconnect in lockstep, while the delay still grows. Not
 * thread-safe: each outbound connection owns one and uses it on its event loop.
 */
final class Backoff {
    private final long minMillis;
    private final long maxMillis;
    private final RandomGenerator random;
    private long stepMillis;

    Backoff(Duration min, Duration max, RandomGenerator random) {
        this.minMillis = min.toMillis();
        this.maxMillis = max.toMillis();
        if (minMillis < 1 || maxMillis < minMillis) {
            throw new IllegalArgumentException("backoff needs 1 ms <= min <= max: " + min + ", " + max);
        }
        this.random = random;
        this.stepMillis = minMillis;
    }

    /** The next delay, in {@code [step / 2, step]}; the step then doubles, up to {@code max}. */
    long nextDelayMillis() {
        long step = stepMillis;
        stepMillis = Math.min(maxMillis, stepMillis * 2);
        long half = step / 2;
        return step - half + random.nextLong(half + 1);
    }

    /** Back to the first step, after a successful connection. */
    void reset() {
        stepMillis = minMillis;
    }
}
