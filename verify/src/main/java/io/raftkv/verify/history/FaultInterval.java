package io.raftkv.verify.history;

/**
 * One fault the nemesis injected, from when it started to when it was healed, for the report's
 * shading and the history file.
 *
 * @param nemesis     which nemesis, e.g. {@code kill}, {@code partition}
 * @param description what exactly, e.g. {@code kill -9 n2 (leader)}, {@code isolate n1 | n2 n3}
 * @param startNanos  when it was injected, on the run's clock
 * @param endNanos    when it was healed
 */
public record FaultInterval(String nemesis, String description, long startNanos, long endNanos) {
    /** Checks the interval. */
    public FaultInterval {
        if (endNanos < startNanos) {
            throw new IllegalArgumentException("fault ends before it starts");
        }
    }
}
