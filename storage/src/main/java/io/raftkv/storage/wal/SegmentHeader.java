package io.raftkv.storage.wal;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32C;

/**
 * The fixed header at offset 0 of every segment:
 *
 * <pre>
 *   8 bytes  magic "RKVWAL01"
 *   u32      format version (1)
 *   u64      sequence number      (must match the file name)
 *   u64      first index          (must match the file name)
 *   u32      reserved, 0
 *   u32      CRC32C of the 32 bytes above
 * </pre>
 *
 * The header repeats the file name so that a segment renamed or copied under the wrong name is
 * refused instead of being replayed in the wrong place.
 */
final class SegmentHeader {
    /** Bytes of the header; records start at this offset. */
    static final int BYTES = 36;
    /** Version of the format described in {@link SegmentedLog}. */
    static final int VERSION = 1;
    private static final byte[] MAGIC = "RKVWAL01".getBytes(StandardCharsets.US_ASCII);

    private SegmentHeader() {
    }

    /** Puts the header of {@code name} at the buffer's position. */
    static void put(ByteBuffer buffer, SegmentName name) {
        int start = buffer.position();
        buffer.put(MAGIC).putInt(VERSION).putLong(name.seq()).putLong(name.firstIndex()).putInt(0);
        CRC32C crc = new CRC32C();
        ByteBuffer covered = buffer.duplicate().position(start).limit(start + BYTES - 4);
        crc.update(covered);
        buffer.putInt((int) crc.getValue());
    }

    /**
     * Checks the header in the first {@link #BYTES} bytes of the heap {@code buffer} against the
     * file's name.
     *
     * @return null if valid, else why not
     */
    static String check(ByteBuffer buffer, SegmentName expected) {
        for (int i = 0; i < MAGIC.length; i++) {
            if (buffer.get(i) != MAGIC[i]) {
                return "not a raftkv write-ahead log segment (bad magic)";
            }
        }
        CRC32C crc = new CRC32C();
        crc.update(buffer.array(), buffer.arrayOffset(), BYTES - 4);
        if ((int) crc.getValue() != buffer.getInt(BYTES - 4)) {
            return "segment header CRC32C mismatch";
        }
        int version = buffer.getInt(8);
        if (version != VERSION) {
            return "unsupported segment format version " + version + " (this build reads " + VERSION + ")";
        }
        long seq = buffer.getLong(12);
        long firstIndex = buffer.getLong(20);
        if (seq != expected.seq() || firstIndex != expected.firstIndex()) {
            return "header names segment " + seq + " starting at index " + firstIndex + ", the file name "
                    + expected.fileName();
        }
        return null;
    }
}
