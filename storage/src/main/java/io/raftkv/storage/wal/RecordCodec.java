package io.raftkv.storage.wal;

import io.raftkv.core.EntryType;
import io.raftkv.core.HardState;
import io.raftkv.core.LogEntry;
import io.raftkv.core.NodeId;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32C;

/**
 * Encodes and decodes the records of a segment. Every record is one frame (big-endian):
 *
 * <pre>
 *   u32 length   bytes of type + payload (never 0: a zero here is unwritten, preallocated space)
 *   u32 crc      CRC32C of type + payload
 *   u8  type     {@link RecordType#code}
 *   payload:
 *     ENTRY        u64 index, u64 term, u8 entryType (1 normal, 2 no-op, 3 config), u32 dataLength, data
 *     HARD_STATE   u64 currentTerm, u64 commitIndex, u8 votedForLength (0: none), votedFor (ASCII)
 *     TRUNCATE     u64 fromIndex
 *     FIRST_INDEX  u64 firstIndex
 *     COMMIT       u64 batchStartOffset, u64 lastIndex
 * </pre>
 *
 * The ENTRY payload repeats its data length although the frame length implies it: the redundancy
 * lets recovery reject a random byte offset as a frame start without computing a CRC, which keeps
 * the search for intact records after damage linear (see {@link TailInspector}).
 */
final class RecordCodec {
    /** Length and CRC fields in front of every record. */
    static final int FRAME_HEADER_BYTES = 8;
    /** Fixed part of an ENTRY's payload: index, term, entry type, data length. */
    static final int ENTRY_FIXED_BYTES = 8 + 8 + 1 + 4;
    /** Largest entry data the format allows; a bound on what a corrupt length can make us read. */
    static final int MAX_ENTRY_DATA_BYTES = 64 << 20;
    /** Largest valid value of a frame's length field. */
    static final int MAX_RECORD_LENGTH = 1 + ENTRY_FIXED_BYTES + MAX_ENTRY_DATA_BYTES;
    /** Frame bytes of a TRUNCATE or FIRST_INDEX record. */
    static final int INDEX_RECORD_BYTES = FRAME_HEADER_BYTES + 1 + 8;
    /** Frame bytes of a COMMIT record. */
    static final int COMMIT_RECORD_BYTES = FRAME_HEADER_BYTES + 1 + 16;
    /** Largest HARD_STATE frame: the vote is at most {@link NodeId#MAX_LENGTH} characters. */
    static final int MAX_HARD_STATE_BYTES = FRAME_HEADER_BYTES + 1 + 17 + NodeId.MAX_LENGTH;

    private RecordCodec() {
    }

    /** Frame bytes of an ENTRY record carrying {@code dataLength} bytes. */
    static int entryFrameBytes(int dataLength) {
        return FRAME_HEADER_BYTES + 1 + ENTRY_FIXED_BYTES + dataLength;
    }

    /** Frame bytes of a HARD_STATE record for {@code hardState}. */
    static int hardStateFrameBytes(HardState hardState) {
        return FRAME_HEADER_BYTES + 1 + 17 + votedForBytes(hardState).length;
    }

    static void putEntry(ByteBuffer buffer, CRC32C crc, LogEntry entry) {
        int start = begin(buffer, RecordType.ENTRY);
        byte[] data = entry.data();
        buffer.putLong(entry.index()).putLong(entry.term()).put(entryTypeCode(entry.type())).putInt(data.length)
                .put(data);
        seal(buffer, crc, start);
    }

    static void putHardState(ByteBuffer buffer, CRC32C crc, HardState hardState) {
        int start = begin(buffer, RecordType.HARD_STATE);
        byte[] vote = votedForBytes(hardState);
        buffer.putLong(hardState.currentTerm()).putLong(hardState.commitIndex()).put((byte) vote.length).put(vote);
        seal(buffer, crc, start);
    }

    /** A TRUNCATE ({@code type == TRUNCATE}) or FIRST_INDEX record. */
    static void putIndexRecord(ByteBuffer buffer, CRC32C crc, RecordType type, long index) {
        int start = begin(buffer, type);
        buffer.putLong(index);
        seal(buffer, crc, start);
    }

    static void putCommit(ByteBuffer buffer, CRC32C crc, long batchStart, long lastIndex) {
        int start = begin(buffer, RecordType.COMMIT);
        buffer.putLong(batchStart).putLong(lastIndex);
        seal(buffer, crc, start);
    }

    private static int begin(ByteBuffer buffer, RecordType type) {
        int start = buffer.position();
        buffer.position(start + FRAME_HEADER_BYTES);
        buffer.put(type.code);
        return start;
    }

    /** Writes length and CRC in front of the record just put, without allocating. */
    private static void seal(ByteBuffer buffer, CRC32C crc, int start) {
        int end = buffer.position();
        int limit = buffer.limit();
        buffer.limit(end).position(start + FRAME_HEADER_BYTES);
        crc.reset();
        crc.update(buffer);
        buffer.limit(limit).position(end);
        buffer.putInt(start, end - start - FRAME_HEADER_BYTES);
        buffer.putInt(start + 4, (int) crc.getValue());
    }

    /**
     * Whether a frame with this length field could start at {@code at}: a known type whose layout
     * agrees with the length. Needs {@code min(length, 1 + ENTRY_FIXED_BYTES)} bytes after the
     * frame header in {@code buffer}. Cheap: no CRC.
     */
    static boolean plausible(ByteBuffer buffer, int at, int length) {
        if (length < 1 || length > MAX_RECORD_LENGTH) {
            return false;
        }
        RecordType type = RecordType.fromCode(buffer.get(at + FRAME_HEADER_BYTES));
        if (type == null) {
            return false;
        }
        int payload = at + FRAME_HEADER_BYTES + 1;
        switch (type) {
            case ENTRY:
                return length >= 1 + ENTRY_FIXED_BYTES && buffer.getInt(payload + 17) == length - 1 - ENTRY_FIXED_BYTES;
            case HARD_STATE:
                return length >= 18 && (buffer.get(payload + 16) & 0xff) == length - 18
                        && length - 18 <= NodeId.MAX_LENGTH;
            case TRUNCATE:
            case FIRST_INDEX:
                return length == 9;
            case COMMIT:
                return length == 17;
            default:
                return false;
        }
    }

    /** Bytes {@link #plausible} needs after the frame header for a frame of this length. */
    static int plausibilityBytes(int length) {
        return Math.min(length, 1 + ENTRY_FIXED_BYTES);
    }

    /**
     * Decodes the frame at {@code at} (its whole {@code length + FRAME_HEADER_BYTES} bytes must be
     * in the heap {@code buffer}) into {@code out}, checking type, layout and CRC.
     *
     * @return null if the record is intact, else why not
     */
    static String decode(ByteBuffer buffer, int at, int length, RecordView out, CRC32C crc) {
        if (!plausible(buffer, at, length)) {
            int code = buffer.get(at + FRAME_HEADER_BYTES) & 0xff;
            return RecordType.fromCode(code) == null ? "unknown record type " + code
                    : "record layout does not match its length " + length;
        }
        crc.reset();
        crc.update(buffer.array(), buffer.arrayOffset() + at + FRAME_HEADER_BYTES, length);
        int stored = buffer.getInt(at + 4);
        if ((int) crc.getValue() != stored) {
            return String.format("CRC32C mismatch (stored %08x, computed %08x)", stored, (int) crc.getValue());
        }
        out.type = RecordType.fromCode(buffer.get(at + FRAME_HEADER_BYTES));
        out.frameBytes = FRAME_HEADER_BYTES + length;
        return decodePayload(buffer, at + FRAME_HEADER_BYTES + 1, length - 1, out);
    }

    private static String decodePayload(ByteBuffer buffer, int p, int payloadLength, RecordView out) {
        switch (out.type) {
            case ENTRY:
                out.index = buffer.getLong(p);
                out.term = buffer.getLong(p + 8);
                out.entryType = entryType(buffer.get(p + 16));
                out.dataLength = buffer.getInt(p + 17);
                out.dataPosition = p + ENTRY_FIXED_BYTES;
                if (out.index < 1 || out.term < 1 || out.entryType == null) {
                    return "invalid entry fields: index " + out.index + ", term " + out.term + ", entry type code "
                            + buffer.get(p + 16);
                }
                return null;
            case HARD_STATE:
                return decodeHardState(buffer, p, payloadLength - 17, out);
            case TRUNCATE:
            case FIRST_INDEX:
                out.index = buffer.getLong(p);
                return out.index < 1 ? "invalid index " + out.index : null;
            case COMMIT:
                out.batchStart = buffer.getLong(p);
                out.lastIndex = buffer.getLong(p + 8);
                return out.batchStart < 0 || out.lastIndex < 0 ? "invalid commit record" : null;
            default:
                return "unknown record type " + out.type;
        }
    }

    private static String decodeHardState(ByteBuffer buffer, int p, int voteLength, RecordView out) {
        long term = buffer.getLong(p);
        long commit = buffer.getLong(p + 8);
        NodeId vote = null;
        try {
            if (voteLength > 0) {
                byte[] bytes = new byte[voteLength];
                buffer.get(p + 17, bytes);
                vote = NodeId.of(new String(bytes, StandardCharsets.US_ASCII));
            }
            out.hardState = new HardState(term, vote, commit);
            return null;
        } catch (IllegalArgumentException e) {
            return "invalid hard state: " + e.getMessage();
        }
    }

    /** Copies the data of the ENTRY just decoded into {@code out} and builds the entry. */
    static LogEntry toEntry(ByteBuffer buffer, RecordView view) {
        byte[] data = new byte[view.dataLength];
        buffer.get(view.dataPosition, data);
        return new LogEntry(view.index, view.term, view.entryType, data);
    }

    private static byte[] votedForBytes(HardState hardState) {
        return hardState.votedFor() == null ? new byte[0]
                : hardState.votedFor().value().getBytes(StandardCharsets.US_ASCII);
    }

    /** The disk code of an entry type: explicit, so reordering the enum never changes the format. */
    static byte entryTypeCode(EntryType type) {
        switch (type) {
            case NORMAL: return 1;
            case NO_OP: return 2;
            case CONFIG: return 3;
            default: throw new IllegalArgumentException("entry type without a disk code: " + type);
        }
    }

    static EntryType entryType(byte code) {
        switch (code) {
            case 1: return EntryType.NORMAL;
            case 2: return EntryType.NO_OP;
            case 3: return EntryType.CONFIG;
            default: return null;
        }
    }
}
