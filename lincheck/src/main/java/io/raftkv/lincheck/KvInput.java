package io.raftkv.lincheck;

import java.util.Objects;

/**
 * An operation on one key of a key-value map, for the models of {@link KvModels}: the input half
 * of an operation in the sense of Wing &amp; Gong (1993); its key is what the models partition by
 * (Horn &amp; Kroening 2015, as in Porcupine's kv model).
 *
 * <p>Outputs: GET returns the value (see the model for how an absent key reads); PUT and APPEND
 * outputs are ignored; CAS returns a {@link Boolean}, {@code true} if it swapped.
 *
 * @param kind     which operation
 * @param key      the key; not null
 * @param value    the value to put or append, or the new value of a CAS; null for GET
 * @param expected the value a CAS compares against; {@code null} means "the key is absent" in
 *                 {@link KvModels#casKv()}
 */
public record KvInput(Kind kind, String key, String value, String expected) {

    /** Key-value operations. */
    public enum Kind {
        /** Read the key's value. */
        GET,
        /** Overwrite the key's value. */
        PUT,
        /** Append to the key's value (string concatenation). */
        APPEND,
        /** Replace the value with {@code value} if it currently equals {@code expected}. */
        CAS
    }

    /** Validates the arguments for the kind. */
    public KvInput {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(key, "key");
        if (kind != Kind.GET) {
            Objects.requireNonNull(value, "value");
        }
    }

    /**
     * A get.
     *
     * @param key the key
     * @return the input
     */
    public static KvInput get(String key) {
        return new KvInput(Kind.GET, key, null, null);
    }

    /**
     * A put.
     *
     * @param key   the key
     * @param value the new value
     * @return the input
     */
    public static KvInput put(String key, String value) {
        return new KvInput(Kind.PUT, key, value, null);
    }

    /**
     * An append.
     *
     * @param key   the key
     * @param value the suffix to append
     * @return the input
     */
    public static KvInput append(String key, String value) {
        return new KvInput(Kind.APPEND, key, value, null);
    }

    /**
     * A compare-and-set.
     *
     * @param key      the key
     * @param expected value the key must hold (null: must be absent, in {@link KvModels#casKv()})
     * @param newValue value to store if it does
     * @return the input
     */
    public static KvInput cas(String key, String expected, String newValue) {
        return new KvInput(Kind.CAS, key, newValue, expected);
    }

    @Override
    public String toString() {
        return switch (kind) {
            case GET -> "get(" + key + ")";
            case PUT -> "put(" + key + ", " + quote(value) + ")";
            case APPEND -> "append(" + key + ", " + quote(value) + ")";
            case CAS -> "cas(" + key + ", " + quote(expected) + " -> " + quote(value) + ")";
        };
    }

    static String quote(Object s) {
        return s instanceof String str ? '"' + str + '"' : String.valueOf(s);
    }
}
