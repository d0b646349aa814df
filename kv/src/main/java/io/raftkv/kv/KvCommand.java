package io.raftkv.kv;

import java.util.List;
import java.util.Objects;

/**
 * A write command of the key-value store: what goes through the Raft log. Reads never do; they are
 * served from {@link KvReadView} after a read barrier.
 *
 * <p>The family is closed (sealed) and dispatched through {@link Visitor}, so adding a command
 * without handling it in the codec and the executor fails to compile (STYLE.md §6: exhaustive
 * pattern switches arrive only in Java 21). The records validate what every replica must agree
 * on (key size, key count) in their constructors; a decoded command that breaks a rule is a
 * deterministic error result, never a node failure.
 */
public sealed interface KvCommand {

    /** Calls the visitor method for this command's type. */
    <R> R accept(Visitor<R> visitor);

    /** One method per command type. */
    interface Visitor<R> {
        R visitSet(Set command);

        R visitDelete(Delete command);

        R visitIncrementBy(IncrementBy command);

        R visitAppend(Append command);

        R visitMultiSet(MultiSet command);

        R visitGetSet(GetSet command);

        R visitGetDelete(GetDelete command);

        R visitCompareAndSet(CompareAndSet command);

        R visitOpenSession(OpenSession command);

        R visitCloseSession(CloseSession command);
    }

    /** When SET writes: always, only if the key is absent (NX), or only if present (XX). */
    enum SetCondition { ALWAYS, IF_ABSENT, IF_PRESENT }

    /**
     * SET key value [NX|XX] [GET]. Result: OK, or nil when the condition fails; with
     * {@code returnPrevious} (GET) the previous value or nil instead.
     */
    record Set(Bytes key, Bytes value, SetCondition condition, boolean returnPrevious) implements KvCommand {
        public Set {
            checkKey(key);
            Objects.requireNonNull(value, "value");
            Objects.requireNonNull(condition, "condition");
        }

        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.visitSet(this);
        }
    }

    /** DEL key [key ...]. Result: the number of keys that existed. */
    record Delete(List<Bytes> keys) implements KvCommand {
        public Delete {
            keys = checkKeys(keys);
        }

        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.visitDelete(this);
        }
    }

    /**
     * INCRBY key delta (INCR, DECR and DECRBY are special cases). Result: the new value, or
     * {@link KvErrors#NOT_AN_INTEGER} / {@link KvErrors#INCREMENT_OVERFLOW}.
     */
    record IncrementBy(Bytes key, long delta) implements KvCommand {
        public IncrementBy {
            checkKey(key);
        }

        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.visitIncrementBy(this);
        }
    }

    /**
     * APPEND key value. Result: the new length, or {@link KvErrors#STRING_TOO_LONG} if it would
     * exceed {@code resultBytesMax}. The limit travels in the command, stamped by the proposing
     * server from its configuration, so replicas with different configurations still agree.
     */
    record Append(Bytes key, Bytes value, int resultBytesMax) implements KvCommand {
        public Append {
            checkKey(key);
            Objects.requireNonNull(value, "value");
            if (resultBytesMax < 0 || resultBytesMax > KvLimits.VALUE_BYTES_CEILING) {
                throw new IllegalArgumentException("resultBytesMax out of range: " + resultBytesMax);
            }
        }

        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.visitAppend(this);
        }
    }

    /** One key and value of an MSET. */
    record KeyValue(Bytes key, Bytes value) {
        public KeyValue {
            checkKey(key);
            Objects.requireNonNull(value, "value");
        }
    }

    /** MSET key value [key value ...]; a later pair for the same key wins. Result: OK. */
    record MultiSet(List<KeyValue> pairs) implements KvCommand {
        public MultiSet {
            Objects.requireNonNull(pairs, "pairs");
            if (pairs.isEmpty() || pairs.size() > KvLimits.KEYS_PER_COMMAND_MAX) {
                throw new IllegalArgumentException("MSET needs 1.." + KvLimits.KEYS_PER_COMMAND_MAX
                        + " pairs, got " + pairs.size());
            }
            pairs = List.copyOf(pairs);
        }

        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.visitMultiSet(this);
        }
    }

    /** GETSET key value. Result: the previous value or nil. */
    record GetSet(Bytes key, Bytes value) implements KvCommand {
        public GetSet {
            checkKey(key);
            Objects.requireNonNull(value, "value");
        }

        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.visitGetSet(this);
        }
    }

    /** GETDEL key. Result: the value it had, or nil. */
    record GetDelete(Bytes key) implements KvCommand {
        public GetDelete {
            checkKey(key);
        }

        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.visitGetDelete(this);
        }
    }

    /**
     * Compare-and-set, the raftkv extension for coordination. If the key's current value equals
     * {@code expectedValue} (or the key is absent, when {@code expectedValue} is null), the key is
     * set to {@code newValue} (or deleted, when {@code newValue} is null). Result: 1 if it swapped,
     * 0 if not. Both null is rejected: "delete if absent" means nothing.
     */
    record CompareAndSet(Bytes key, Bytes expectedValue, Bytes newValue) implements KvCommand {
        public CompareAndSet {
            checkKey(key);
            if (expectedValue == null && newValue == null) {
                throw new IllegalArgumentException("CAS needs an expected value or a new value");
            }
        }

        /** Whether the swap requires the key to be absent. */
        public boolean expectsAbsent() {
            return expectedValue == null;
        }

        /** Whether a successful swap deletes the key. */
        public boolean deletes() {
            return newValue == null;
        }

        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.visitCompareAndSet(this);
        }
    }

    /**
     * Opens the client session named in the proposal (thesis §6.3, RegisterClient). Idempotent: a
     * retried open of a live session only refreshes it. Result: OK, or
     * {@link KvErrors#TOO_MANY_SESSIONS}.
     */
    record OpenSession() implements KvCommand {
        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.visitOpenSession(this);
        }
    }

    /** Closes the session named in the proposal, dropping its cached results. Result: OK. */
    record CloseSession() implements KvCommand {
        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.visitCloseSession(this);
        }
    }

    private static void checkKey(Bytes key) {
        Objects.requireNonNull(key, "key");
        if (key.length() > KvLimits.KEY_BYTES_MAX) {
            throw new IllegalArgumentException("key is " + key.length() + " bytes; the limit is "
                    + KvLimits.KEY_BYTES_MAX);
        }
    }

    private static List<Bytes> checkKeys(List<Bytes> keys) {
        Objects.requireNonNull(keys, "keys");
        if (keys.isEmpty() || keys.size() > KvLimits.KEYS_PER_COMMAND_MAX) {
            throw new IllegalArgumentException("a command takes 1.." + KvLimits.KEYS_PER_COMMAND_MAX
                    + " keys, got " + keys.size());
        }
        keys.forEach(KvCommand::checkKey);
        return List.copyOf(keys);
    }
}
