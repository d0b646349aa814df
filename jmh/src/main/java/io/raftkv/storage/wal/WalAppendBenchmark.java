package io.raftkv.storage.wal;

import io.raftkv.core.EntryType;
import io.raftkv.core.LogEntry;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One durable append of a batch of entries to the write-ahead log ({@link SegmentedLog#append(List)}
 * and waiting for its future), with a real fdatasync or with syncing switched off. Without fsync the
 * figure is the log's own CPU cost per batch (framing, CRC32C, the writer and completer threads'
 * hand-offs); with fsync it is bounded by the disk. The no-op syncer goes through the package's
 * test seam ({@code SegmentedLog.open(dir, options, Syncer)}), which is why this class lives in the
 * storage package. The log is compacted as it grows so a long run does not fill the disk.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class WalAppendBenchmark {
    /** Entries kept before compacting: a few segments' worth. */
    private static final long COMPACT_EVERY_ENTRIES = 1_000_000;

    @Param({"true", "false"})
    boolean fsync;

    @Param({"1", "16", "64"})
    int batch;

    @Param({"100"})
    int entryBytes;

    private Path directory;
    private SegmentedLog log;
    private byte[] data;
    private long next;
    private long compactedTo;

    private static final Syncer NO_SYNC = new Syncer() {
        @Override
        public void syncFile(FileChannel channel) {
            // switched off: measures the log without the disk's flush
        }

        @Override
        public void syncDirectory(Path dir) {
            // switched off
        }
    };

    @Setup(Level.Trial)
    public void open() throws IOException {
        directory = Files.createTempDirectory("raftkv-jmh-wal");
        log = SegmentedLog.open(directory, WalOptions.defaults(), fsync ? Syncer.DEFAULT : NO_SYNC);
        data = new byte[entryBytes];
        next = log.lastIndex() + 1;
    }

    @TearDown(Level.Trial)
    public void close() throws IOException {
        log.close();
        try (Stream<Path> paths = Files.walk(directory)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }

    @Benchmark
    public long appendBatchDurably() {
        List<LogEntry> entries = new ArrayList<>(batch);
        for (int i = 0; i < batch; i++) {
            entries.add(new LogEntry(next++, 1, EntryType.NORMAL, data));
        }
        log.append(entries).join();
        if (next - compactedTo > 2 * COMPACT_EVERY_ENTRIES) {
            compactedTo = next - COMPACT_EVERY_ENTRIES;
            log.compactPrefix(compactedTo);
        }
        return next;
    }
}
