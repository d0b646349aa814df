package io.raftkv.storage.wal;

import io.raftkv.core.LogEntry;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

/**
 * Encodes the requests of one batch into a reused direct buffer, writes the buffer to the active
 * segment whenever it fills, and ends the batch with its COMMIT record. Stages the batch's effect
 * on the index in {@link #ops()} as it goes. Writer thread only; allocates nothing per record.
 */
final class BatchEncoder {
    private final CRC32C crc = new CRC32C();
    private final IndexOps ops = new IndexOps();
    /** Direct, so the channel writes it without a copy; grows only for a record larger than it. */
    private ByteBuffer buffer;
    private SegmentFile segment;
    /** File offset of the batch's first record. */
    private long batchStart;
    private boolean open;
    private boolean hasRecords;
    /** Entry records in the batch, for statistics. */
    private int entries;

    BatchEncoder(int bufferBytes) {
        buffer = ByteBuffer.allocateDirect(bufferBytes);
    }

    /** Starts a batch at the end of {@code target}'s data, against the log as {@code index} holds it. */
    void begin(SegmentFile target, LogIndex index) {
        segment = target;
        batchStart = target.writePosition();
        buffer.clear();
        ops.begin(index, target);
        open = true;
        hasRecords = false;
        entries = 0;
    }

    boolean isOpen() {
        return open;
    }

    /** Whether the batch holds any record (a request may hold none: a pure barrier). */
    boolean hasRecords() {
        return hasRecords;
    }

    int entries() {
        return entries;
    }

    /** File offset of the batch's first record. */
    long batchStart() {
        return batchStart;
    }

    /** Bytes encoded since {@link #begin}, written out or not. */
    long batchBytes() {
        return open ? segment.writePosition() + buffer.position() - batchStart : 0;
    }

    IndexOps ops() {
        return ops;
    }

    /** Encodes {@code request}: hard state, truncation marker, entries, compaction marker. */
    void add(WriteRequest request) throws IOException {
        if (request.hardState != null) {
            room(RecordCodec.hardStateFrameBytes(request.hardState));
            RecordCodec.putHardState(buffer, crc, request.hardState);
            ops.hardState(request.hardState);
            hasRecords = true;
        }
        if (request.truncates) {
            room(RecordCodec.INDEX_RECORD_BYTES);
            RecordCodec.putIndexRecord(buffer, crc, RecordType.TRUNCATE, request.truncationIndex());
            ops.truncate(request.truncationIndex());
            hasRecords = true;
        }
        for (int i = 0; i < request.entries.size(); i++) {
            LogEntry entry = request.entries.get(i);
            room(RecordCodec.entryFrameBytes(entry.data().length));
            long offset = segment.writePosition() + buffer.position();
            RecordCodec.putEntry(buffer, crc, entry);
            ops.entry(entry.index(), entry.term(), offset);
            hasRecords = true;
            entries++;
        }
        if (request.compactTo > 0) {
            room(RecordCodec.INDEX_RECORD_BYTES);
            RecordCodec.putIndexRecord(buffer, crc, RecordType.FIRST_INDEX, request.compactTo);
            ops.compact(request.compactTo);
            hasRecords = true;
        }
    }

    /** Ends the batch with its COMMIT record and writes everything out (not yet synced). */
    void finish() throws IOException {
        room(RecordCodec.COMMIT_RECORD_BYTES);
        RecordCodec.putCommit(buffer, crc, batchStart, ops.stagedLastIndex());
        flush();
        open = false;
    }

    /** Drops the batch without writing more (after a failure). */
    void abandon() {
        open = false;
        buffer.clear();
    }

    private void room(int bytes) throws IOException {
        if (buffer.remaining() >= bytes) {
            return;
        }
        flush();
        if (buffer.capacity() < bytes) {
            buffer = ByteBuffer.allocateDirect(bytes);
        }
    }

    private void flush() throws IOException {
        buffer.flip();
        segment.append(buffer);
        buffer.clear();
    }
}
