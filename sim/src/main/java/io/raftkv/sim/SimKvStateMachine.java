package io.raftkv.sim;

import io.raftkv.core.EntryType;
import io.raftkv.core.LogEntry;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The deterministic key-value state machine the simulated clients use: PUT and compare-and-set
 * through the log, GET served locally after a ReadIndex. Its result for an entry depends only on
 * the entries before it.
 */
final class SimKvStateMachine {
    private final Map<String, String> data = new HashMap<>();
    private long appliedIndex;

    /** Applies the next committed entry; returns the command's result, or null for non-commands. */
    String apply(LogEntry entry) {
        if (entry.index() != appliedIndex + 1) {
            throw new IllegalStateException("apply of entry " + entry.index() + " after " + appliedIndex);
        }
        appliedIndex = entry.index();
        if (entry.type() != EntryType.NORMAL) {
            return null;
        }
        KvCommand command = KvCommand.decode(entry.data());
        switch (command.kind()) {
            case PUT -> {
                data.put(command.key(), command.value());
                return "OK";
            }
            case CAS -> {
                if (Objects.equals(data.get(command.key()), command.expected())) {
                    data.put(command.key(), command.value());
                    return "true";
                }
                return "false";
            }
            default -> throw new IllegalStateException("unknown kind " + command.kind());
        }
    }

    /** The current value of {@code key}, or null if absent. */
    String get(String key) {
        return data.get(key);
    }

    long appliedIndex() {
        return appliedIndex;
    }
}
