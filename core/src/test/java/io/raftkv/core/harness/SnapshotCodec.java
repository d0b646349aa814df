package io.raftkv.core.harness;

import io.raftkv.core.EntryType;
import io.raftkv.core.LogEntry;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * The snapshot format of the harness's state machine. That state machine is the sequence of the
 * entries it applied (so any two states can be compared entry by entry), and a snapshot taken at
 * index {@code i} encodes the applied entries {@code 1..i} as a sequence of records. An entry
 * record is a tag byte 1, the entry's index and term (8 bytes each), its type (1 byte), the
 * payload length (4 bytes) and the payload. A padding record (tag 0, a 4-byte length, that many
 * zero bytes) is skipped: it lets two servers' files of one state differ byte for byte, as real
 * snapshot files may, and it encodes the empty state (a snapshot file is never empty).
 */
public final class SnapshotCodec {
    private static final byte PADDING = 0;
    private static final byte ENTRY = 1;

    private SnapshotCodec() {}

    public static byte[] encode(List<LogEntry> state) {
        if (state.isEmpty()) {
            return encodeWithPadding(state, 0, false);
        }
        ByteBuffer buf = ByteBuffer.allocate(entriesSize(state));
        putEntries(buf, state);
        return buf.array();
    }

    /**
     * The same state as {@link #encode}, with a padding record of {@code padBytes} zero bytes placed
     * before or after the entries.
     */
    public static byte[] encodeWithPadding(List<LogEntry> state, int padBytes, boolean paddingFirst) {
        ByteBuffer buf = ByteBuffer.allocate(entriesSize(state) + 5 + padBytes);
        if (!paddingFirst) {
            putEntries(buf, state);
        }
        buf.put(PADDING).putInt(padBytes).put(new byte[padBytes]);
        if (paddingFirst) {
            putEntries(buf, state);
        }
        return buf.array();
    }

    public static List<LogEntry> decode(byte[] bytes) {
        List<LogEntry> out = new ArrayList<>();
        ByteBuffer buf = ByteBuffer.wrap(bytes);
        while (buf.hasRemaining()) {
            byte tag = buf.get();
            if (tag == PADDING) {
                int padBytes = buf.getInt();
                buf.position(buf.position() + padBytes);
                continue;
            }
            if (tag != ENTRY) {
                throw new AssertionError("bad snapshot record tag " + tag + " at " + (buf.position() - 1));
            }
            long index = buf.getLong();
            long term = buf.getLong();
            EntryType type = typeOf(buf.get());
            byte[] data = new byte[buf.getInt()];
            buf.get(data);
            LogEntry e = new LogEntry(index, term, type, data);
            if (index != out.size() + 1) {
                throw new AssertionError("snapshot holds " + e + " after " + out.size() + " entries");
            }
            out.add(e);
        }
        return out;
    }

    private static int entriesSize(List<LogEntry> state) {
        int size = 0;
        for (LogEntry e : state) {
            size += 22 + e.data().length;
        }
        return size;
    }

    private static void putEntries(ByteBuffer buf, List<LogEntry> state) {
        for (LogEntry e : state) {
            buf.put(ENTRY).putLong(e.index()).putLong(e.term()).put(typeCode(e.type())).putInt(e.data().length)
                    .put(e.data());
        }
    }

    private static byte typeCode(EntryType type) {
        return switch (type) {
            case NORMAL -> 1;
            case NO_OP -> 2;
            case CONFIG -> 3;
        };
    }

    private static EntryType typeOf(byte code) {
        return switch (code) {
            case 1 -> EntryType.NORMAL;
            case 2 -> EntryType.NO_OP;
            case 3 -> EntryType.CONFIG;
            default -> throw new AssertionError("bad entry type code " + code);
        };
    }
}
