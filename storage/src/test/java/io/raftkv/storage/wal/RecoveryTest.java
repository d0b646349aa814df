package io.raftkv.storage.wal;

import static io.raftkv.storage.wal.WalTestSupport.assertHolds;
import static io.raftkv.storage.wal.WalTestSupport.await;
import static io.raftkv.storage.wal.WalTestSupport.entries;
import static io.raftkv.storage.wal.WalTestSupport.entry;
import static io.raftkv.storage.wal.WalTestSupport.frames;
import static io.raftkv.storage.wal.WalTestSupport.lastSegment;
import static io.raftkv.storage.wal.WalTestSupport.segments;
import static io.raftkv.storage.wal.WalTestSupport.small;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.raftkv.core.HardState;
import io.raftkv.core.LogEntry;
import io.raftkv.core.NodeId;
import io.raftkv.storage.wal.WalTestSupport.Frame;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Recovery (R-DISK-2): a torn tail is cut and the log opens with exactly the complete batches;
 * damage anywhere a crash cannot explain refuses to open, naming file and offset.
 */
class RecoveryTest {
    private static final WalOptions OPTIONS = small(64 << 10);

    @TempDir
    Path root;

    /** A log of {@code count} entries, each appended (and so batched) on its own. */
    private Path logOf(String name, int count, WalOptions options) throws IOException {
        Path dir = root.resolve(name);
        try (SegmentedLog log = SegmentedLog.open(dir, options)) {
            for (int i = 1; i <= count; i++) {
                await(log.append(List.of(entry(i, 1, 40 + i))));
            }
        }
        return dir;
    }

    private static List<LogEntry> expected(int count) {
        List<LogEntry> list = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            list.add(entry(i, 1, 40 + i));
        }
        return list;
    }

    /** Offset where the batch holding entry {@code index} starts (its ENTRY frame). */
    private static long entryFrameOffset(Path segment, long index) throws IOException {
        List<Frame> frames = frames(segment);
        int entriesSeen = 0;
        for (Frame frame : frames) {
            if (frame.type() == RecordType.ENTRY.code && ++entriesSeen == index) {
                return frame.offset();
            }
        }
        throw new AssertionError("no entry " + index);
    }

    @Test
    void tornTailAtEveryByteOfTheLastTwoBatchesKeepsExactlyTheCompleteBatches() throws IOException {
        Path original = logOf("original", 10, OPTIONS);
        Path segment = lastSegment(original);
        long size = Files.size(segment);
        long ninthStart = entryFrameOffset(segment, 9);
        long tenthStart = entryFrameOffset(segment, 10);
        for (long cut = ninthStart; cut <= size; cut++) {
            Path copy = root.resolve("cut-" + cut);
            WalTestSupport.copyDirectory(original, copy);
            WalTestSupport.truncate(lastSegment(copy), cut);
            int complete = cut == size ? 10 : cut >= tenthStart ? 9 : 8;
            // Each cut is a fresh copy of a synced log: what is tested is the replay, not the fsync.
            boolean goOn = cut % 10 == 0; // for a tenth of the cuts (time), check the log goes on where it was cut
            try (SegmentedLog log = SegmentedLog.open(copy, OPTIONS, WalTestSupport.NO_SYNC)) {
                assertHolds(log, expected(complete));
                if (goOn) {
                    await(log.append(List.of(entry(complete + 1, 2, 7))));
                }
            }
            if (goOn) {
                try (SegmentedLog log = SegmentedLog.open(copy, OPTIONS, WalTestSupport.NO_SYNC)) {
                    List<LogEntry> after = new ArrayList<>(expected(complete));
                    after.add(entry(complete + 1, 2, 7));
                    assertHolds(log, after);
                }
            }
        }
    }

    @Test
    void tornTailInZeroFilledSpaceAtEveryByteKeepsExactlyTheCompleteBatches() throws IOException {
        Path original = logOf("original", 6, OPTIONS);
        Path segment = lastSegment(original);
        long size = Files.size(segment);
        long lastStart = entryFrameOffset(segment, 6);
        for (long cut = lastStart; cut < size; cut++) {
            Path copy = root.resolve("zero-" + cut);
            WalTestSupport.copyDirectory(original, copy);
            Path target = lastSegment(copy);
            try (FileChannel channel = FileChannel.open(target, StandardOpenOption.WRITE)) {
                channel.write(ByteBuffer.allocate((int) (size - cut + 4096)), cut); // as if preallocated
            }
            try (SegmentedLog log = SegmentedLog.open(copy, OPTIONS, WalTestSupport.NO_SYNC)) {
                assertHolds(log, expected(5));
            }
        }
    }

    @Test
    void aFlippedBitInTheLastBatchReadsAsATornTail() throws IOException {
        Path original = logOf("original", 8, OPTIONS);
        long lastEntry = entryFrameOffset(lastSegment(original), 8);
        long size = Files.size(lastSegment(original));
        for (long offset : new long[] {lastEntry + 20, lastEntry + 40, size - 3}) {
            Path copy = root.resolve("flip-" + offset);
            WalTestSupport.copyDirectory(original, copy);
            WalTestSupport.flipBit(lastSegment(copy), offset, 3);
            try (SegmentedLog log = SegmentedLog.open(copy, OPTIONS)) {
                assertHolds(log, expected(7));
            }
        }
    }

    @Test
    void aFlippedBitInTheMiddleRefusesToOpenNamingFileAndOffset() throws IOException {
        Path dir = logOf("middle", 20, OPTIONS);
        Path segment = lastSegment(dir);
        long offset = entryFrameOffset(segment, 10);
        WalTestSupport.flipBit(segment, offset + 30, 0);
        assertThatThrownBy(() -> SegmentedLog.open(dir, OPTIONS))
                .isInstanceOf(WalCorruptionException.class)
                .hasMessageContaining(segment.getFileName().toString())
                .hasMessageContaining("at byte offset " + offset)
                .hasMessageContaining("CRC32C mismatch")
                .satisfies(e -> assertThat(((WalCorruptionException) e).offset()).isEqualTo(offset));
        assertThat(Files.size(segment)).as("a refused log is left untouched").isPositive();
    }

    @Test
    void garbageFollowedByIntactRecordsRefusesToOpen() throws IOException {
        Path dir = logOf("garbage", 12, OPTIONS);
        Path segment = lastSegment(dir);
        long offset = entryFrameOffset(segment, 5);
        try (FileChannel channel = FileChannel.open(segment, StandardOpenOption.WRITE)) {
            channel.write(ByteBuffer.wrap(new byte[] {(byte) 0xde, (byte) 0xad, (byte) 0xbe, (byte) 0xef, 1, 2, 3}),
                    offset);
        }
        assertThatThrownBy(() -> SegmentedLog.open(dir, OPTIONS)).isInstanceOf(WalCorruptionException.class)
                .hasMessageContaining("at byte offset " + offset).hasMessageContaining("not a torn tail");
    }

    @Test
    void aZeroedRecordFollowedByIntactBatchesRefusesToOpen() throws IOException {
        Path dir = logOf("hole", 12, OPTIONS);
        Path segment = lastSegment(dir);
        long offset = entryFrameOffset(segment, 6);
        try (FileChannel channel = FileChannel.open(segment, StandardOpenOption.WRITE)) {
            channel.write(ByteBuffer.allocate(60), offset);
        }
        assertThatThrownBy(() -> SegmentedLog.open(dir, OPTIONS)).isInstanceOf(WalCorruptionException.class)
                .hasMessageContaining("at byte offset " + offset).hasMessageContaining("zero length");
    }

    @Test
    void aHugeLengthFieldIsAClearErrorNotAnAllocation() throws IOException {
        Path dir = logOf("huge", 12, OPTIONS);
        Path segment = lastSegment(dir);
        long offset = entryFrameOffset(segment, 4);
        WalTestSupport.writeInt(segment, offset, Integer.MAX_VALUE);
        assertThatThrownBy(() -> SegmentedLog.open(dir, OPTIONS)).isInstanceOf(WalCorruptionException.class)
                .hasMessageContaining("at byte offset " + offset).hasMessageContaining("record length 2147483647");
        WalTestSupport.writeInt(segment, offset, 60 << 20); // within the format's bound, beyond the file
        assertThatThrownBy(() -> SegmentedLog.open(dir, OPTIONS)).isInstanceOf(WalCorruptionException.class)
                .hasMessageContaining("at byte offset " + offset).hasMessageContaining("runs past the end");
    }

    @Test
    void aHugeLengthFieldInTheLastRecordIsATornTail() throws IOException {
        Path dir = logOf("huge-last", 5, OPTIONS);
        Path segment = lastSegment(dir);
        WalTestSupport.writeInt(segment, entryFrameOffset(segment, 5), -1);
        try (SegmentedLog log = SegmentedLog.open(dir, OPTIONS)) {
            assertHolds(log, expected(4));
        }
    }

    @Test
    void damageInASegmentThatIsNotTheLastRefusesEvenAtItsEnd() throws IOException {
        Path dir = root.resolve("sealed");
        try (SegmentedLog log = SegmentedLog.open(dir, small(4 << 10))) {
            for (int i = 1; i <= 200; i += 10) {
                await(log.append(entries(i, i + 9, 1)));
            }
        }
        Path first = segments(dir).get(0);
        long size = Files.size(first);
        WalTestSupport.flipBit(first, size - 2, 1); // inside the last COMMIT of a sealed segment
        assertThatThrownBy(() -> SegmentedLog.open(dir, small(4 << 10))).isInstanceOf(WalCorruptionException.class)
                .hasMessageContaining(first.getFileName().toString()).hasMessageContaining("not the last");
    }

    @Test
    void aMissingSegmentRefusesToOpen() throws IOException {
        Path dir = root.resolve("gap");
        try (SegmentedLog log = SegmentedLog.open(dir, small(4 << 10))) {
            for (int i = 1; i <= 300; i += 10) {
                await(log.append(entries(i, i + 9, 1)));
            }
        }
        List<Path> files = segments(dir);
        Files.delete(files.get(2));
        assertThatThrownBy(() -> SegmentedLog.open(dir, small(4 << 10))).isInstanceOf(WalCorruptionException.class)
                .hasMessageContaining(files.get(3).getFileName().toString()).hasMessageContaining("sequence gap");
    }

    @Test
    void aSegmentThatDoesNotContinueTheLogRefusesToOpen() throws IOException {
        Path dir = root.resolve("index-gap");
        Files.createDirectories(dir);
        writeSegment(dir, new SegmentName(1, 1), HardState.INITIAL, 1, 5);
        writeSegment(dir, new SegmentName(2, 8), HardState.INITIAL, 8, 9);
        assertThatThrownBy(() -> SegmentedLog.open(dir, OPTIONS)).isInstanceOf(WalCorruptionException.class)
                .hasMessageContaining("gap: the segment starts at index 8 but the log before it ends at index 5");
    }

    @Test
    void anOutOfOrderEntryRefusesToOpen() throws IOException {
        Path dir = root.resolve("order");
        Files.createDirectories(dir);
        Path segment = dir.resolve(new SegmentName(1, 1).fileName());
        ByteBuffer buffer = firstBatch(new SegmentName(1, 1), HardState.INITIAL, 1);
        CRC32C crc = new CRC32C();
        long batchStart = buffer.position();
        RecordCodec.putEntry(buffer, crc, entry(1, 1, 3));
        long badOffset = buffer.position();
        RecordCodec.putEntry(buffer, crc, entry(3, 1, 3));
        RecordCodec.putCommit(buffer, crc, batchStart, 3);
        Files.write(segment, Arrays.copyOf(buffer.array(), buffer.position()));
        assertThatThrownBy(() -> SegmentedLog.open(dir, OPTIONS)).isInstanceOf(WalCorruptionException.class)
                .hasMessageContaining("at byte offset " + badOffset)
                .hasMessageContaining("entry index 3 does not follow the last index 1");
    }

    @Test
    void anUnreadableHeaderRefusesToOpen() throws IOException {
        Path dir = logOf("header", 3, OPTIONS);
        Path segment = lastSegment(dir);
        WalTestSupport.flipBit(segment, 2, 0);
        assertThatThrownBy(() -> SegmentedLog.open(dir, OPTIONS)).isInstanceOf(WalCorruptionException.class)
                .hasMessageContaining("at byte offset 0").hasMessageContaining("bad magic");
        WalTestSupport.flipBit(segment, 2, 0);
        WalTestSupport.flipBit(segment, 14, 0);
        assertThatThrownBy(() -> SegmentedLog.open(dir, OPTIONS)).hasMessageContaining("header CRC32C mismatch");
    }

    @Test
    void aSegmentUnderTheWrongNameRefusesToOpen() throws IOException {
        Path dir = logOf("renamed", 3, OPTIONS);
        Path segment = lastSegment(dir);
        Files.move(segment, dir.resolve(new SegmentName(1, 2).fileName()));
        assertThatThrownBy(() -> SegmentedLog.open(dir, OPTIONS)).hasMessageContaining("the file name");
        Files.writeString(dir.resolve("7.wal"), "x");
        assertThatThrownBy(() -> SegmentedLog.open(dir, OPTIONS)).hasMessageContaining("not a valid segment file name");
    }

    @Test
    void leftoverTemporaryFilesAreDeletedAndOtherFilesIgnored() throws IOException {
        Path dir = logOf("leftovers", 3, OPTIONS);
        Files.write(dir.resolve("segment-9.tmp"), new byte[100]);
        Files.writeString(dir.resolve("README"), "operator notes");
        try (SegmentedLog log = SegmentedLog.open(dir, OPTIONS)) {
            assertHolds(log, expected(3));
        }
        assertThat(dir.resolve("segment-9.tmp")).doesNotExist();
        assertThat(dir.resolve("README")).exists();
    }

    @Test
    void anUnfinishedBatchWithIntactRecordsButNoCommitIsDropped() throws IOException {
        Path dir = logOf("no-commit", 4, OPTIONS);
        Path segment = lastSegment(dir);
        long size = Files.size(segment);
        WalTestSupport.truncate(segment, size - RecordCodec.COMMIT_RECORD_BYTES); // entry 4 intact, its COMMIT gone
        try (SegmentedLog log = SegmentedLog.open(dir, OPTIONS)) {
            assertHolds(log, expected(3));
        }
        assertThat(Files.size(segment)).isLessThan(size - RecordCodec.COMMIT_RECORD_BYTES);
    }

    @Test
    void aTornPersistIsAllOrNothingForHardStateTruncationAndEntries() throws IOException {
        Path dir = root.resolve("atomic");
        try (SegmentedLog log = SegmentedLog.open(dir, OPTIONS)) {
            await(log.persist(new HardState(1, NodeId.of("a"), 2), entries(1, 10, 1)));
            await(log.persist(new HardState(2, NodeId.of("b"), 5), entries(6, 12, 2)));
        }
        Path segment = lastSegment(dir);
        List<Frame> frames = frames(segment);
        long lastBatchStart = frames.get(frames.size() - 1).offset(); // the COMMIT; walk back to the batch start
        for (int i = frames.size() - 2; i >= 0 && frames.get(i).type() != RecordType.COMMIT.code; i--) {
            lastBatchStart = frames.get(i).offset();
        }
        for (long cut = lastBatchStart + 1; cut < Files.size(segment); cut += 7) {
            Path copy = root.resolve("atomic-" + cut);
            WalTestSupport.copyDirectory(dir, copy);
            WalTestSupport.truncate(lastSegment(copy), cut);
            try (SegmentedLog log = SegmentedLog.open(copy, OPTIONS, WalTestSupport.NO_SYNC)) {
                assertThat(log.hardState()).isEqualTo(new HardState(1, NodeId.of("a"), 2));
                assertHolds(log, entries(1, 10, 1));
            }
        }
    }

    /** Writes a segment holding a first batch and then entries {@code from..to} in one batch. */
    private static void writeSegment(Path dir, SegmentName name, HardState state, long from, long to)
            throws IOException {
        ByteBuffer buffer = firstBatch(name, state, name.firstIndex());
        CRC32C crc = new CRC32C();
        long batchStart = buffer.position();
        for (long i = from; i <= to; i++) {
            RecordCodec.putEntry(buffer, crc, entry(i, 1, 5));
        }
        RecordCodec.putCommit(buffer, crc, batchStart, to);
        Files.write(dir.resolve(name.fileName()), Arrays.copyOf(buffer.array(), buffer.position()));
    }

    private static ByteBuffer firstBatch(SegmentName name, HardState state, long firstIndex) {
        ByteBuffer buffer = ByteBuffer.allocate(64 << 10);
        CRC32C crc = new CRC32C();
        SegmentHeader.put(buffer, name);
        RecordCodec.putHardState(buffer, crc, state);
        RecordCodec.putIndexRecord(buffer, crc, RecordType.FIRST_INDEX, firstIndex);
        RecordCodec.putCommit(buffer, crc, SegmentHeader.BYTES, name.firstIndex() - 1);
        return buffer;
    }
}
