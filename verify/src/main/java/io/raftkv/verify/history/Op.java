package io.raftkv.verify.history;

import java.util.Objects;

/**
 * One completed client operation of a verify run: its invocation, how it ended and with what.
 *
 * <p>Times are nanoseconds on the verifier's monotonic clock, relative to the start of the run.
 * For {@link Outcome#UNKNOWN} the completion time is when the client gave up; the operation may
 * still take effect later, which the checkers account for.
 *
 * @param index        position in the history, in completion order, unique
 * @param process      the client (a thread with its own connection) that issued it; a client
 *                     never has two operations outstanding
 * @param node         the node id the client sent it to, e.g. {@code n2}
 * @param workload     which workload, and so which checker, it belongs to
 * @param fn           what it does
 * @param key          the key it touches
 * @param value        the value written ({@link Fn#WRITE}) or token appended ({@link Fn#APPEND});
 *                     null for reads and increments
 * @param outcome      how it ended
 * @param result       for an OK {@link Fn#READ}: the value read, null if the key was missing;
 *                     for an OK {@link Fn#INCR}: the new value in decimal; otherwise null
 * @param invokeNanos  when the client sent it
 * @param completeNanos when the client got the answer or gave up; not before {@code invokeNanos}
 * @param error        for FAIL and UNKNOWN: the error reply or exception text; otherwise null
 * @param isFinal      true for the reads made after every fault was healed, which the append
 *                     and counter checkers use as the final state
 */
public record Op(long index, int process, String node, Workload workload, Fn fn, String key, String value,
                 Outcome outcome, String result, long invokeNanos, long completeNanos, String error,
                 boolean isFinal) {

    /** What ends every appended token, so that a list read back splits into its tokens. */
    public static final char APPEND_SEPARATOR = ' ';

    /** Checks what every checker relies on. */
    public Op {
        Objects.requireNonNull(node, "node");
        Objects.requireNonNull(workload, "workload");
        Objects.requireNonNull(fn, "fn");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(outcome, "outcome");
        if (completeNanos < invokeNanos) {
            throw new IllegalArgumentException("completes before it is invoked: " + invokeNanos + " > " + completeNanos);
        }
        if ((fn == Fn.WRITE || fn == Fn.APPEND) != (value != null)) {
            throw new IllegalArgumentException(fn + " with value " + value);
        }
        if (outcome == Outcome.OK && fn == Fn.INCR && result == null) {
            throw new IllegalArgumentException("an acknowledged INCR without its result");
        }
        if (outcome != Outcome.OK && result != null) {
            throw new IllegalArgumentException(outcome + " with a result");
        }
    }

    /** True if the client got an acknowledgement. */
    public boolean ok() {
        return outcome == Outcome.OK;
    }
}
