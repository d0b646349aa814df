package io.raftkv.sim;

import java.nio.charset.StandardCharsets;

/**
 * A client command of the simulated key-value workload, as carried in a log entry.
 *
 * @param opId     unique per operation in a run; lets the history name the entry
 * @param kind     PUT or CAS
 * @param key      the key
 * @param value    the value written (PUT) or the new value (CAS)
 * @param expected the value a CAS expects; null means the key must be absent
 */
record KvCommand(long opId, Kind kind, String key, String value, String expected) {
    enum Kind { PUT, CAS }

    private static final String NONE = "\u0000";

    byte[] encode() {
        String text = opId + "\n" + kind + "\n" + key + "\n" + value + "\n" + (expected == null ? NONE : expected);
        return text.getBytes(StandardCharsets.UTF_8);
    }

    static KvCommand decode(byte[] data) {
        String[] parts = new String(data, StandardCharsets.UTF_8).split("\n", -1);
        if (parts.length != 5) {
            throw new IllegalArgumentException("malformed command: " + parts.length + " fields");
        }
        String expected = parts[4].equals(NONE) ? null : parts[4];
        return new KvCommand(Long.parseLong(parts[0]), Kind.valueOf(parts[1]), parts[2], parts[3], expected);
    }
}
