package io.raftkv.kv;

/**
 * The error messages the state machine produces as results. They are part of the replicated
 * state (a cached result is replayed to a retrying client), so they must never depend on anything
 * but the command and the state; changing one changes what replicas return. The first word is the
 * error code, as in Redis ({@code ERR}, {@code NOSESSION}, ...).
 */
public final class KvErrors {

    /** INCR and friends on a value that is not a 64-bit decimal integer (Redis's wording). */
    public static final String NOT_AN_INTEGER = "ERR value is not an integer or out of range";
    /** INCRBY whose result does not fit in 64 bits (Redis's wording). */
    public static final String INCREMENT_OVERFLOW = "ERR increment or decrement would overflow";
    /** APPEND whose result would exceed the size limit the proposer stamped (Redis's wording). */
    public static final String STRING_TOO_LONG = "ERR string exceeds maximum allowed size";
    /** Error code of a command whose session is unknown or expired: it was not applied. */
    public static final String NO_SESSION_CODE = "NOSESSION";
    /** Error code of a retried command whose sequence number the client already acknowledged. */
    public static final String STALE_SEQUENCE_CODE = "STALESEQ";
    /** Opening a session when {@link KvLimits#SESSIONS_MAX} are open: retryable, not applied. */
    public static final String TOO_MANY_SESSIONS = "BUSY too many client sessions";
    /** Prefix of the result of a command whose bytes could not be decoded. */
    public static final String MALFORMED_PREFIX = "ERR malformed command: ";

    private KvErrors() {
    }

    /** The result of a command for session {@code sessionId} that is not open. */
    public static String noSession(long sessionId) {
        return NO_SESSION_CODE + " client session " + Long.toUnsignedString(sessionId, 16)
                + " is unknown or expired; the command was not applied";
    }

    /** The result of a command whose sequence number is below what the client acknowledged. */
    public static String staleSequence(long sessionId, long sequence, long firstOutstanding) {
        return STALE_SEQUENCE_CODE + " session " + Long.toUnsignedString(sessionId, 16) + ": sequence "
                + sequence + " was already acknowledged (first outstanding " + firstOutstanding
                + "); its result is no longer kept";
    }
}
