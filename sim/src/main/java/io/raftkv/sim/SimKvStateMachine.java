package io.raftkv.sim;

import io.raftkv.core.EntryType;
import io.raftkv.core.LogEntry;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

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

    /**
     * The state as of now, as an immutable value: the node keeps applying while the snapshot is
     * written (R-SNAP-2). Keys are written in order so equal states give equal bytes.
     */
    byte[] snapshot() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeLong(appliedIndex);
            Map<String, String> sorted = new TreeMap<>(data);
            out.writeInt(sorted.size());
            for (Map.Entry<String, String> e : sorted.entrySet()) {
                out.writeUTF(e.getKey());
                out.writeUTF(e.getValue());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** Replaces the state with a snapshot's. */
    void restore(byte[] snapshot) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(snapshot))) {
            long index = in.readLong();
            int size = in.readInt();
            Map<String, String> restored = new HashMap<>();
            for (int i = 0; i < size; i++) {
                restored.put(in.readUTF(), in.readUTF());
            }
            data.clear();
            data.putAll(restored);
            appliedIndex = index;
        } catch (IOException e) {
            throw new IllegalStateException("corrupt snapshot", e);
        }
    }
}
