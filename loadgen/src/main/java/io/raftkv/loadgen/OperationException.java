package io.raftkv.loadgen;

/**
 * A failed operation, with the kind under which the report counts it: the store's error code
 * ({@code NOTLEADER}, {@code TRYAGAIN}, {@code BUSY}, {@code UNKNOWN}, {@code ERR}, a gRPC status)
 * or one of {@link #TIMEOUT} and {@link #CONNECTION}.
 */
public final class OperationException extends RuntimeException {
    /** No reply within the operation timeout; the operation may still take effect. */
    public static final String TIMEOUT = "timeout";
    /** The connection could not be opened, or closed with the operation in flight. */
    public static final String CONNECTION = "connection";
    /** A failure the driver did not classify. */
    public static final String OTHER = "other";

    private final String kind;

    public OperationException(String kind, String message) {
        super(message, null, false, false); // no stack trace: errors can be frequent under load
        this.kind = kind;
    }

    /** The error kind the report counts this failure under. */
    public String kind() {
        return kind;
    }

    /** The kind of any failure: an {@link OperationException}'s own, else {@link #OTHER}. */
    public static String kindOf(Throwable failure) {
        Throwable cause = failure;
        while (cause instanceof java.util.concurrent.CompletionException && cause.getCause() != null) {
            cause = cause.getCause();
        }
        if (cause instanceof OperationException operation) {
            return operation.kind;
        }
        return cause instanceof java.util.concurrent.TimeoutException ? TIMEOUT : OTHER;
    }
}
