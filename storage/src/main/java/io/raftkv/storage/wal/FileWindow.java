package io.raftkv.storage.wal;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * A heap buffer over a range of a segment, refilled with large sequential reads: recovery and
 * range reads look at many small records through it with one system call per window, not per
 * record. The buffer grows for a record larger than it, but never beyond what the caller asks
 * for, and callers never ask past {@link #limit()}, so a corrupt length cannot make it allocate
 * more than the file holds.
 */
final class FileWindow {
    /** Compared against in bulk: Arrays.mismatch is vectorised, a byte loop is not. */
    private static final byte[] ZEROS = new byte[64 * 1024];

    private final SegmentFile file;
    /** Bytes of the file this window may read: the file's size when the window was made. */
    private final long limit;
    /** Heap-backed so that CRC32C can run over its array without copying. */
    private ByteBuffer buffer;
    /** File offset of buffer index 0. */
    private long start;
    /** Valid bytes in the buffer from index 0. */
    private int loaded;

    FileWindow(SegmentFile file, long limit, int capacity) {
        this.file = file;
        this.limit = limit;
        this.buffer = ByteBuffer.allocate((int) Math.max(1, Math.min(capacity, limit)));
    }

    /** Bytes of the file this window may read. */
    long limit() {
        return limit;
    }

    /** The buffer; valid between the index {@link #load} returned and the length loaded. */
    ByteBuffer buffer() {
        return buffer;
    }

    /**
     * Makes file bytes {@code [position, position + length)} available and returns the buffer
     * index of {@code position}. Requires {@code position + length <= limit()}.
     */
    int load(long position, int length) throws IOException {
        if (position < 0 || length < 0 || position + length > limit) {
            throw new IllegalArgumentException("range " + position + "+" + length + " outside " + file + " of "
                    + limit + " bytes");
        }
        if (position >= start && position + length <= start + loaded) {
            return (int) (position - start);
        }
        if (length > buffer.capacity()) {
            long grown = Math.min(Math.max(length, 2L * buffer.capacity()), limit - position);
            buffer = ByteBuffer.allocate((int) Math.max(length, grown));
        }
        buffer.clear();
        buffer.limit((int) Math.min(buffer.capacity(), limit - position));
        int n = file.read(buffer, position);
        start = position;
        loaded = n;
        if (n < length) {
            throw new EOFException(file + " ended at " + (position + n) + ", before " + (position + length)
                    + " (shrunk while being read?)");
        }
        return 0;
    }

    /** Offset of the first non-zero byte at or after {@code from}, or {@link #limit()} if none. */
    long nextNonZero(long from) throws IOException {
        long position = from;
        while (position < limit) {
            int length = (int) Math.min(buffer.capacity(), limit - position);
            int at = load(position, length);
            byte[] array = buffer.array();
            int base = buffer.arrayOffset() + at;
            for (int done = 0; done < length; done += ZEROS.length) {
                int chunk = Math.min(ZEROS.length, length - done);
                int mismatch = Arrays.mismatch(array, base + done, base + done + chunk, ZEROS, 0, chunk);
                if (mismatch >= 0) {
                    return position + done + mismatch;
                }
            }
            position += length;
        }
        return limit;
    }
}
