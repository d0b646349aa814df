package io.raftkv.kv;

/**
 * Bytes that are not a valid encoding of a proposal or result of a known format version:
 * truncated, trailing garbage, a bad tag, a length out of range. Decoding the same bytes fails
 * the same way on every replica, so the state machine turns this into an error result.
 */
public final class KvCodecException extends RuntimeException {
    public KvCodecException(String message) {
        super(message);
    }

    public KvCodecException(String message, Throwable cause) {
        super(message, cause);
    }
}
