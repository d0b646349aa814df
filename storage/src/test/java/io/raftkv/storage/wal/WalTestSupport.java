package io.raftkv.storage.wal;

import static org.assertj.core.api.Assertions.assertThat;

import io.raftkv.core.EntryType;
import io.raftkv.core.LogEntry;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** Helpers shared by the WAL tests: deterministic entries, raw file surgery, waiting with a bound. */
final class WalTestSupport {
    /** Every wait in a test is bounded: a hang fails the test instead of the build. */
    static final long TIMEOUT_SECONDS = 30;

    private WalTestSupport() {
    }

    /**
     * Skips fsync (writes still reach the page cache, which a reopen in the same machine reads).
     * For tests of logic rather than durability, so that they run at CPU speed even when other
     * builds load the disk; durability is what {@link WalCrashTest} and {@link GroupCommitTest} test.
     */
    static final Syncer NO_SYNC = new Syncer() {
        @Override
        public void syncFile(FileChannel channel) {
            // intentionally nothing: see the field's comment
        }

        @Override
        public void syncDirectory(Path directory) {
            // intentionally nothing: see the field's comment
        }
    };

    /** Options for tests: small segments, no preallocation (fast), unless a test says otherwise. */
    static WalOptions small(long segmentBytes) {
        return WalOptions.builder().segmentSizeBytes(segmentBytes).preallocate(false).build();
    }

    /** Data determined by index and term, so any reader can check an entry's content. */
    static byte[] data(long index, long term, int length) {
        byte[] data = new byte[length];
        long x = index * 0x9E3779B97F4A7C15L ^ term * 0xC2B2AE3D27D4EB4FL;
        for (int i = 0; i < length; i++) {
            x ^= x << 13;
            x ^= x >>> 7;
            x ^= x << 17;
            data[i] = (byte) x;
        }
        return data;
    }

    static LogEntry entry(long index, long term, int length) {
        return new LogEntry(index, term, EntryType.NORMAL, data(index, term, length));
    }

    /** Entries {@code from..to} of {@code term}, data lengths varying with the index. */
    static List<LogEntry> entries(long from, long to, long term) {
        List<LogEntry> list = new ArrayList<>();
        for (long i = from; i <= to; i++) {
            list.add(entry(i, term, (int) (i * 37 % 200)));
        }
        return list;
    }

    static <T> T await(CompletableFuture<T> future) {
        try {
            return future.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("future did not complete normally", e);
        }
    }

    /** Segment files of a log directory, oldest first. */
    static List<Path> segments(Path directory) throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            return files.filter(p -> p.getFileName().toString().endsWith(SegmentName.SUFFIX)).sorted().toList();
        }
    }

    static Path lastSegment(Path directory) throws IOException {
        List<Path> all = segments(directory);
        return all.get(all.size() - 1);
    }

    /** One frame of a segment as the bytes say, without checking anything. */
    record Frame(long offset, int frameBytes, int type) {
        long end() {
            return offset + frameBytes;
        }
    }

    /** Walks the frames of a segment by their length fields, stopping at a zero length or the end. */
    static List<Frame> frames(Path segment) throws IOException {
        byte[] bytes = Files.readAllBytes(segment);
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        List<Frame> frames = new ArrayList<>();
        int at = SegmentHeader.BYTES;
        while (at + 9 <= bytes.length) {
            int length = buffer.getInt(at);
            if (length <= 0 || at + 8 + length > bytes.length) {
                break;
            }
            frames.add(new Frame(at, 8 + length, bytes[at + 8]));
            at += 8 + length;
        }
        return frames;
    }

    static void flipBit(Path file, long offset, int bit) throws IOException {
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.seek(offset);
            int b = raf.read();
            raf.seek(offset);
            raf.write(b ^ (1 << bit));
        }
    }

    static void writeInt(Path file, long offset, int value) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.write(ByteBuffer.allocate(4).putInt(0, value), offset);
        }
    }

    static void truncate(Path file, long length) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.truncate(length);
        }
    }

    /** Copies the regular files of {@code from} into a new directory {@code to}. */
    static void copyDirectory(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        try (Stream<Path> files = Files.list(from)) {
            for (Path file : files.toList()) {
                Files.copy(file, to.resolve(file.getFileName()));
            }
        }
    }

    /** Asserts that the log holds exactly {@code expected}, consecutively. */
    static void assertHolds(SegmentedLog log, List<LogEntry> expected) {
        if (expected.isEmpty()) {
            assertThat(log.lastIndex()).isEqualTo(log.firstIndex() - 1);
            return;
        }
        assertThat(log.firstIndex()).isEqualTo(expected.get(0).index());
        assertThat(log.lastIndex()).isEqualTo(expected.get(expected.size() - 1).index());
        assertThat(log.read(log.firstIndex(), log.lastIndex())).containsExactlyElementsOf(expected);
        for (LogEntry e : expected) {
            assertThat(log.term(e.index())).isEqualTo(e.term());
        }
    }
}
