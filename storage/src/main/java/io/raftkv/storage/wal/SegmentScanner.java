package io.raftkv.storage.wal;

import java.io.IOException;
import java.util.zip.CRC32C;

/**
 * Reads the records of one segment in order through a {@link FileWindow}, classifying whatever
 * stops it. It never allocates from a length field it has not checked against the file's size.
 */
final class SegmentScanner {
    /** What {@link #next} found at {@link #recordOffset()}. */
    enum Status {
        /** An intact record, decoded into the view. */
        RECORD,
        /** The file ends exactly here. */
        END_OF_FILE,
        /** A zero length field: unwritten (preallocated or never synced) space. */
        ZERO_LENGTH,
        /** A frame that the end of the file cuts short. */
        INCOMPLETE,
        /** A frame that is all there but wrong: impossible length, unknown type, bad layout or CRC. */
        DAMAGED
    }

    private final FileWindow window;
    private final CRC32C crc = new CRC32C();
    /** Offset of the frame {@link #next} looks at next. */
    private long position;
    /** Offset of the frame {@link #next} looked at last. */
    private long recordOffset;
    /** Buffer index of the last intact record (for copying an entry's data). */
    private int bufferIndex;
    /** Why the last non-RECORD status was returned. */
    private String problem = "";

    SegmentScanner(FileWindow window, long position) {
        this.window = window;
        this.position = position;
    }

    /** Moves to the frame at {@code offset}, which the caller knows starts a record. */
    void seek(long offset) {
        position = offset;
    }

    /** Examines the frame at the current position; on RECORD, decodes it into {@code out} and moves past it. */
    Status next(RecordView out) throws IOException {
        recordOffset = position;
        long remaining = window.limit() - position;
        if (remaining == 0) {
            problem = "end of file";
            return Status.END_OF_FILE;
        }
        if (remaining < RecordCodec.FRAME_HEADER_BYTES + 1) {
            problem = "frame cut short: " + remaining + " bytes left in the file";
            return window.nextNonZero(position) == window.limit() ? Status.ZERO_LENGTH : Status.INCOMPLETE;
        }
        int at = window.load(position, RecordCodec.FRAME_HEADER_BYTES);
        int length = window.buffer().getInt(at);
        if (length == 0) {
            problem = "zero length field (unwritten space)";
            return Status.ZERO_LENGTH;
        }
        if (length < 0 || length > RecordCodec.MAX_RECORD_LENGTH) {
            problem = "record length " + Integer.toUnsignedString(length) + " outside [1, "
                    + RecordCodec.MAX_RECORD_LENGTH + "]";
            return Status.DAMAGED;
        }
        if (length > remaining - RecordCodec.FRAME_HEADER_BYTES) {
            problem = "record of " + length + " bytes runs past the end of the file (" + remaining + " bytes left)";
            return Status.INCOMPLETE;
        }
        at = window.load(position, RecordCodec.FRAME_HEADER_BYTES + length);
        String reason = RecordCodec.decode(window.buffer(), at, length, out, crc);
        if (reason != null) {
            problem = reason;
            return Status.DAMAGED;
        }
        bufferIndex = at;
        position += out.frameBytes;
        return Status.RECORD;
    }

    /** The window the scanner reads through (decoded data positions refer to its buffer). */
    FileWindow window() {
        return window;
    }

    /** Offset of the frame the last {@link #next} call examined. */
    long recordOffset() {
        return recordOffset;
    }

    /** Offset just past the last intact record. */
    long position() {
        return position;
    }

    /** Why the last call did not return RECORD. */
    String problem() {
        return problem;
    }

    /** Buffer index where the last intact record's frame starts. */
    int bufferIndex() {
        return bufferIndex;
    }
}
