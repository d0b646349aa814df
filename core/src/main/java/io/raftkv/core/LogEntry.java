package io.raftkv.core;

import java.util.Objects;

/**
 * One entry of the replicated log (paper Figure 2: "each entry contains command for state machine,
 * and term when entry was received by leader").
 *
 * <p>The payload array is owned by the entry once constructed: callers must not mutate it. It is
 * not copied on the hot path.
 *
 * @param index position in the log, starting at 1
 * @param term  the leader's term when the entry was created
 * @param type  normal command, no-op or configuration
 * @param data  the payload; empty for a no-op; an encoded {@link ClusterConfig} for a config entry
 */
public record LogEntry(long index, long term, EntryType type, byte[] data) {
    private static final byte[] EMPTY = new byte[0];

    public LogEntry {
        if (index < 1) {
            throw new IllegalArgumentException("index must be >= 1: " + index);
        }
        if (term < 1) {
            throw new IllegalArgumentException("term must be >= 1: " + term);
        }
        Objects.requireNonNull(type, "type");
        data = data == null ? EMPTY : data;
    }

    /** Bytes this entry adds to a message or a batch, an estimate used for byte-bounded limits. */
    public int sizeBytes() {
        return data.length + 24;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LogEntry e && e.index == index && e.term == term && e.type == type
                && java.util.Arrays.equals(e.data, data);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(index) * 31 + Long.hashCode(term);
    }

    @Override
    public String toString() {
        return "LogEntry[" + index + "@" + term + " " + type + " " + data.length + "B]";
    }
}
