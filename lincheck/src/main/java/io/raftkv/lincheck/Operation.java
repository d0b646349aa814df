package io.raftkv.lincheck;

import java.util.Objects;

/**
 * One operation of a client history: what a client asked for ({@code input}), what it was told
 * ({@code output}), and the interval {@code [callTime, returnTime]} during which the operation
 * must have taken effect, as in the linearizability definition of Herlihy &amp; Wing and the
 * history model of Wing &amp; Gong (1993) and Porcupine.
 *
 * <p><b>Unknown outcomes.</b> An operation whose client never learnt the result (timeout, crash)
 * has {@code returnTime == }{@link #UNKNOWN_RETURN} ({@link Long#MAX_VALUE}); create it with
 * {@link #unknown}. Such an operation may take effect at any time after its call, or never, and
 * its output is always {@link UnknownOutput#INSTANCE} (the canonical constructor replaces any
 * other output given together with {@code UNKNOWN_RETURN}).
 *
 * <p>An operation with a finite return time but output {@link UnknownOutput#INSTANCE} is also
 * allowed: it definitely took effect within its interval, but its result was not observed.
 *
 * <p><b>Time.</b> Times are arbitrary {@code long} ticks (nanoseconds, simulator steps, line
 * numbers...). Operation A precedes operation B in real time only if
 * {@code A.returnTime < B.callTime} strictly; operations whose intervals merely touch
 * ({@code A.returnTime == B.callTime}) are treated as concurrent.
 *
 * @param clientId   the client (process) that issued the operation; used only in reports
 * @param input      the operation and its arguments, interpreted by the {@link Model}; not null
 * @param output     the observed result (null allowed); {@link UnknownOutput#INSTANCE} if unknown
 * @param callTime   when the operation was invoked; must be less than {@link Long#MAX_VALUE}
 * @param returnTime when the response was received, {@code >= callTime}, or
 *                   {@link #UNKNOWN_RETURN} if the outcome is unknown
 */
public record Operation(int clientId, Object input, Object output, long callTime, long returnTime) {

    /** The return time of an operation whose outcome is unknown. */
    public static final long UNKNOWN_RETURN = Long.MAX_VALUE;

    /** Validates the interval and normalizes the output of unknown operations. */
    public Operation {
        Objects.requireNonNull(input, "input");
        if (callTime == UNKNOWN_RETURN) {
            throw new IllegalArgumentException("callTime must be less than Long.MAX_VALUE");
        }
        if (returnTime < callTime) {
            throw new IllegalArgumentException(
                    "returnTime " + returnTime + " is before callTime " + callTime);
        }
        if (returnTime == UNKNOWN_RETURN) {
            output = UnknownOutput.INSTANCE;
        }
    }

    /**
     * Creates a completed operation.
     *
     * @param clientId   issuing client
     * @param input      operation and arguments
     * @param output     observed result (may be null)
     * @param callTime   invocation time
     * @param returnTime response time, {@code >= callTime}
     * @return the operation
     */
    public static Operation completed(int clientId, Object input, Object output, long callTime,
                                      long returnTime) {
        return new Operation(clientId, input, output, callTime, returnTime);
    }

    /**
     * Creates an operation whose outcome is unknown: it may take effect at any time after
     * {@code callTime}, or never.
     *
     * @param clientId issuing client
     * @param input    operation and arguments
     * @param callTime invocation time
     * @return the operation, with {@code returnTime == UNKNOWN_RETURN}
     */
    public static Operation unknown(int clientId, Object input, long callTime) {
        return new Operation(clientId, input, UnknownOutput.INSTANCE, callTime, UNKNOWN_RETURN);
    }

    /**
     * Tells whether the outcome of this operation is unknown.
     *
     * @return {@code true} if it may have taken effect at any time after its call, or never
     */
    public boolean isUnknown() {
        return returnTime == UNKNOWN_RETURN;
    }
}
