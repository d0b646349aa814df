package io.raftkv.transport;

import static org.assertj.core.api.Assertions.fail;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Bounded waits for the real-network tests: polls a condition every few milliseconds and fails with
 * the caller's explanation when the deadline passes. Assertions never depend on how long something
 * took, only on whether it happened within a generous bound.
 */
final class Await {
    static final Duration DEFAULT = Duration.ofSeconds(10);

    private Await() {}

    static void until(BooleanSupplier condition, Supplier<String> failure) {
        until(condition, DEFAULT, failure);
    }

    static void until(BooleanSupplier condition, Duration timeout, Supplier<String> failure) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                fail("within " + timeout.toMillis() + " ms: " + failure.get());
            }
            pause();
        }
    }

    /** A short pause inside a bounded polling loop. */
    static void pause() {
        try {
            Thread.sleep(5);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting", e);
        }
    }
}
