package io.raftkv.storage.wal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32C;

/**
 * Turns a prepared file into a new segment. The order makes a crash at any step harmless:
 * <ol>
 *   <li>write the header and a first batch (current hard state, current first index, COMMIT) into
 *       the file, still under its temporary name, and fsync it;</li>
 *   <li>rename it to its segment name and fsync the directory.</li>
 * </ol>
 * A crash before step 2 leaves a {@code .tmp} file, deleted on the next open; after it, a segment
 * whose first batch is durable. So a file with a segment name always has a valid header and knows
 * the hard state and first index on its own, and deleting older segments never loses them.
 */
final class SegmentCreator {
    private static final int FIRST_BATCH_MAX_BYTES = SegmentHeader.BYTES + RecordCodec.MAX_HARD_STATE_BYTES
            + RecordCodec.INDEX_RECORD_BYTES + RecordCodec.COMMIT_RECORD_BYTES;

    private SegmentCreator() {
    }

    /**
     * Makes {@code prepared} (empty or zero-filled) the segment {@code name} of {@code directory},
     * restating the durable state in {@code index}.
     */
    static SegmentFile create(Path directory, Path prepared, SegmentName name, LogIndex index, Syncer syncer)
            throws IOException {
        FileChannel channel = FileChannel.open(prepared, StandardOpenOption.READ, StandardOpenOption.WRITE);
        try {
            ByteBuffer buffer = ByteBuffer.allocate(FIRST_BATCH_MAX_BYTES);
            CRC32C crc = new CRC32C();
            SegmentHeader.put(buffer, name);
            RecordCodec.putHardState(buffer, crc, index.hardState());
            RecordCodec.putIndexRecord(buffer, crc, RecordType.FIRST_INDEX, index.firstIndex());
            RecordCodec.putCommit(buffer, crc, SegmentHeader.BYTES, index.lastIndex());
            buffer.flip();
            SegmentFile segment = new SegmentFile(prepared, name, channel, 0);
            segment.append(buffer);
            syncer.syncFile(channel);
            segment.moveTo(directory.resolve(name.fileName()));
            syncer.syncDirectory(directory);
            return segment;
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }
}
