package io.raftkv.kv;

import java.util.List;
import java.util.Objects;

/**
 * The result of a command, shaped like a Redis reply so the server maps it one to one: a status
 * (OK), nil, an integer, a bulk string, an array, or an error. The state machine returns it
 * encoded ({@link KvResultCodec}) from {@code StateMachine.apply}; deterministic failures are
 * {@link ErrorReply} values, identical on every node (R-OPS-6).
 */
public sealed interface KvResult {

    /** The OK status. */
    Ok OK = new Ok();
    /** The nil reply. */
    Nil NIL = new Nil();

    /** Whether this is an error reply. */
    default boolean isError() {
        return this instanceof ErrorReply;
    }

    /** An integer result. */
    static KvResult of(long value) {
        return new IntegerReply(value);
    }

    /** A bulk result, or nil for null. */
    static KvResult bulkOrNil(Bytes value) {
        return value == null ? NIL : new BulkReply(value);
    }

    /** The simple status "OK". */
    record Ok() implements KvResult {
    }

    /** The absence of a value (Redis's null bulk string). */
    record Nil() implements KvResult {
    }

    /** A signed 64-bit integer. */
    record IntegerReply(long value) implements KvResult {
    }

    /** A binary-safe string. */
    record BulkReply(Bytes value) implements KvResult {
        public BulkReply {
            Objects.requireNonNull(value, "value");
        }
    }

    /** A list of results. */
    record ArrayReply(List<KvResult> elements) implements KvResult {
        public ArrayReply {
            elements = List.copyOf(elements);
        }
    }

    /**
     * An error. The message starts with its code, as in Redis ("ERR ...", "NOSESSION ..."), and
     * must not contain CR or LF (it travels as a RESP simple error line).
     */
    record ErrorReply(String message) implements KvResult {
        public ErrorReply {
            Objects.requireNonNull(message, "message");
            if (message.indexOf('\r') >= 0 || message.indexOf('\n') >= 0) {
                throw new IllegalArgumentException("error messages are single lines");
            }
        }

        /** The first word of the message: ERR, NOSESSION, BUSY, ... */
        public String code() {
            int space = message.indexOf(' ');
            return space < 0 ? message : message.substring(0, space);
        }
    }
}
