package io.raftkv.transport;

/**
 * A frame read from the network is not a valid peer message: malformed, truncated, of an unknown
 * protocol version or message type, larger than the configured limit, or with a field out of range.
 * The connection it arrived on can no longer be trusted to be in step with the frame boundaries, so
 * it is closed.
 *
 * <p>Checked on purpose: a decoder's caller must decide what a bad frame does to its connection.
 * No stack trace is captured, because the input comes from the network and can be produced at will;
 * the message says everything a log line needs.
 */
public final class CorruptFrameException extends Exception {
    private static final long serialVersionUID = 1L;

    public CorruptFrameException(String reason) {
        super(reason, null, false, false);
    }

    public CorruptFrameException(String reason, Throwable cause) {
        super(reason, cause, false, false);
    }
}
