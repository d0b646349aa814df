package io.raftkv.core.message;

import io.raftkv.core.NodeId;
import java.util.Objects;

/** Range checks shared by the message records' compact constructors. */
final class Checks {
    private Checks() {}

    static void header(long term, NodeId from, NodeId to) {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        nonNegative("term", term);
    }

    static void nonNegative(String name, long value) {
        if (value < 0) {
            throw new IllegalArgumentException(name + " must be >= 0: " + value);
        }
    }
}
