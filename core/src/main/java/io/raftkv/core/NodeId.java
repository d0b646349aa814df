package io.raftkv.core;

import java.util.Objects;

/**
 * The stable identity of a Raft server (paper §5.1: "server id"). Identities are chosen by the
 * operator ({@code n1}, {@code n2}, ...) and never reused for a server whose data was lost
 * (R-DISK-4): a wiped server rejoins under a new id.
 *
 * @param value non-empty, at most {@link #MAX_LENGTH} characters of {@code [A-Za-z0-9_.-]}
 */
public record NodeId(String value) implements Comparable<NodeId> {
    /** Longest accepted id; bounds what a peer message can make us allocate. */
    public static final int MAX_LENGTH = 64;

    public NodeId {
        Objects.requireNonNull(value, "value");
        if (value.isEmpty() || value.length() > MAX_LENGTH) {
            throw new IllegalArgumentException("node id must have 1.." + MAX_LENGTH + " characters: '" + value + "'");
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '_' || c == '-' || c == '.';
            if (!ok) {
                throw new IllegalArgumentException("node id may hold only [A-Za-z0-9_.-]: '" + value + "'");
            }
        }
    }

    public static NodeId of(String value) {
        return new NodeId(value);
    }

    @Override
    public int compareTo(NodeId other) {
        return value.compareTo(other.value);
    }

    @Override
    public String toString() {
        return value;
    }
}
