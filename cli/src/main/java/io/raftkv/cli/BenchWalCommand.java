package io.raftkv.cli;

import com.sun.management.OperatingSystemMXBean;
import io.raftkv.core.EntryType;
import io.raftkv.core.LogEntry;
import io.raftkv.storage.wal.SegmentedLog;
import io.raftkv.storage.wal.WalOptions;
import io.raftkv.storage.wal.WalStats;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.HdrHistogram.Histogram;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code raftkv bench wal}: the write-ahead log on the disk under {@code --dir}: the raw fsync rate
 * of that disk, durable append throughput and latency for several numbers of concurrent appenders
 * and entry sizes, and recovery time for a large log.
 */
@Command(name = "wal", mixinStandardHelpOptions = true,
        description = {"Durable append throughput and latency of the write-ahead log for each number of"
                + " concurrent appenders and entry size, the raw fsync rate of the same disk, and recovery time"
                + " of a large log.",
                "Each appender appends one entry and waits until it is durable (fsynced) before the next;"
                        + " concurrent appenders share fsyncs (group commit)."})
final class BenchWalCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Option(names = "--dir", paramLabel = "DIR",
            description = "Directory on the disk to measure; a scratch subdirectory is made and removed"
                    + " (default: the system temporary directory).")
    private Path dir;

    @Option(names = "--appenders", split = ",", paramLabel = "N", defaultValue = "1,8,64",
            description = "Concurrent appenders (default ${DEFAULT-VALUE}).")
    private List<Integer> appenders;

    @Option(names = "--sizes", split = ",", paramLabel = "BYTES", defaultValue = "100,1024",
            description = "Entry data sizes in bytes (default ${DEFAULT-VALUE}).")
    private List<Integer> sizes;

    @Option(names = "--seconds", paramLabel = "S", defaultValue = "5",
            description = "Measured seconds per run, after --warmup-seconds (default ${DEFAULT-VALUE}).")
    private int seconds;

    @Option(names = "--warmup-seconds", paramLabel = "S", defaultValue = "1",
            description = "Unmeasured seconds before each run (default ${DEFAULT-VALUE}).")
    private int warmupSeconds;

    @Option(names = "--recovery-bytes", paramLabel = "SIZE", defaultValue = "1g", converter = BenchCommand.SizeConverter.class,
            description = "Size of the log whose recovery is timed, e.g. 1g, 256m; 0 skips it"
                    + " (default ${DEFAULT-VALUE}).")
    private long recoveryBytes;

    @Option(names = "--recovery-entry-bytes", paramLabel = "BYTES", defaultValue = "100",
            description = "Entry data size of the recovery log (default ${DEFAULT-VALUE}).")
    private int recoveryEntryBytes;

    @Option(names = "--segment-bytes", paramLabel = "SIZE", defaultValue = "64m", converter = BenchCommand.SizeConverter.class,
            description = "Segment size (default ${DEFAULT-VALUE}).")
    private long segmentBytes;

    @Option(names = "--preallocate", paramLabel = "true|false", defaultValue = "true", arity = "1",
            description = "Zero-fill segments before use (default ${DEFAULT-VALUE}).")
    private boolean preallocate;

    @Override
    public Integer call() throws Exception {
        validate();
        PrintStream out = System.out;
        Path scratch = dir == null ? Files.createTempDirectory("raftkv-bench-wal")
                : Files.createTempDirectory(Files.createDirectories(dir), "raftkv-bench-wal");
        try {
            WalOptions options = WalOptions.builder().segmentSizeBytes(segmentBytes).preallocate(preallocate)
                    .build();
            printHeader(out, scratch);
            out.println();
            rawFsync(out, scratch.resolve("fsync-append"), false);
            rawFsync(out, scratch.resolve("fsync-overwrite"), true);
            out.println();
            out.printf("%9s %8s %11s %8s %9s %13s %9s %9s %9s %12s%n", "appenders", "entry B", "appends/s",
                    "MB/s", "fsyncs/s", "appends/fsync", "p50 us", "p99 us", "p99.9 us", "CPU us/append");
            for (int size : sizes) {
                for (int count : appenders) {
                    appendRun(out, scratch.resolve("append-" + count + "-" + size), options, count, size);
                }
            }
            if (recoveryBytes > 0) {
                out.println();
                recovery(out, scratch.resolve("recovery"), options);
            }
            return 0;
        } finally {
            deleteRecursively(scratch);
        }
    }

    private void validate() {
        if (appenders.stream().anyMatch(n -> n < 1 || n > 4096) || sizes.stream().anyMatch(s -> s < 0
                || s > WalOptions.DEFAULT_MAX_ENTRY_BYTES)) {
            throw new ParameterException(spec.commandLine(), "appenders must be in [1, 4096] and sizes in [0, "
                    + WalOptions.DEFAULT_MAX_ENTRY_BYTES + "]");
        }
        if (seconds < 1 || warmupSeconds < 0 || recoveryBytes < 0 || recoveryEntryBytes < 0) {
            throw new ParameterException(spec.commandLine(), "--seconds must be >= 1, the rest >= 0");
        }
    }

    private void printHeader(PrintStream out, Path scratch) throws IOException {
        FileStore store = Files.getFileStore(scratch);
        out.printf("raftkv bench wal: %d s per run after %d s warm-up; segments %s, preallocate=%s%n", seconds,
                warmupSeconds, bytes(segmentBytes), preallocate);
        out.printf("machine: %d cores, %s %s %s, Java %s; disk: %s (%s), %s free of %s, scratch %s%n",
                Runtime.getRuntime().availableProcessors(), System.getProperty("os.name"),
                System.getProperty("os.version"), System.getProperty("os.arch"), System.getProperty("java.version"),
                store.name(), store.type(), bytes(store.getUsableSpace()), bytes(store.getTotalSpace()), scratch);
    }

    /** The disk's own fsync rate: a loop of 4 KiB write + fdatasync, as the log does per batch. */
    private void rawFsync(PrintStream out, Path file, boolean overwritePreallocated) throws IOException {
        Histogram latency = BenchFloor.fsyncLatency(file, java.time.Duration.ofSeconds(seconds), overwritePreallocated);
        out.printf("raw disk, 4 KiB %s + fdatasync: %,.0f fsyncs/s, p50 %.0f us, p99 %.0f us%n",
                overwritePreallocated ? "overwrite of a preallocated file" : "append", latency.getTotalCount()
                        / (double) seconds, latency.getValueAtPercentile(50) / 1e3,
                latency.getValueAtPercentile(99) / 1e3);
    }

    private void appendRun(PrintStream out, Path logDir, WalOptions options, int count, int size)
            throws Exception {
        BenchAppendLoad load = new BenchAppendLoad(count, size);
        try (SegmentedLog log = SegmentedLog.open(logDir, options)) {
            load.start(log);
            Thread.sleep(warmupSeconds * 1000L);
            WalStats before = log.stats();
            long cpuBefore = processCpuNanos();
            long started = System.nanoTime();
            load.measure(true);
            Thread.sleep(seconds * 1000L);
            load.measure(false);
            double elapsed = (System.nanoTime() - started) / 1e9;
            long cpu = processCpuNanos() - cpuBefore;
            WalStats after = log.stats();
            load.stop();
            Histogram latency = load.latency();
            double appendsPerSecond = latency.getTotalCount() / elapsed;
            double fsyncsPerSecond = (after.fsyncs() - before.fsyncs()) / elapsed;
            out.printf("%9d %8d %,11.0f %8.1f %,9.0f %13.1f %,9.0f %,9.0f %,9.0f %12.1f%n", count, size,
                    appendsPerSecond, appendsPerSecond * size / 1e6, fsyncsPerSecond,
                    appendsPerSecond / Math.max(1, fsyncsPerSecond), latency.getValueAtPercentile(50) / 1e3,
                    latency.getValueAtPercentile(99) / 1e3, latency.getValueAtPercentile(99.9) / 1e3,
                    cpu / 1e3 / Math.max(1, latency.getTotalCount()));
        } finally {
            deleteRecursively(logDir);
        }
    }

    /** Writes a log of --recovery-bytes, closes it, and times opening it again. */
    private void recovery(PrintStream out, Path logDir, WalOptions options) throws IOException {
        long entries = Math.max(1, recoveryBytes / (recoveryEntryBytes + 30)); // 30: record framing per entry
        byte[] data = new byte[recoveryEntryBytes];
        long writeStarted = System.nanoTime();
        try (SegmentedLog log = SegmentedLog.open(logDir, options)) {
            List<CompletableFuture<Void>> pending = new ArrayList<>();
            int batch = Math.max(1, (1 << 20) / (recoveryEntryBytes + 30));
            for (long next = 1; next <= entries; next += batch) {
                List<LogEntry> chunk = new ArrayList<>(batch);
                for (long i = next; i < next + batch && i <= entries; i++) {
                    chunk.add(new LogEntry(i, 1, EntryType.NORMAL, data));
                }
                pending.add(log.append(chunk));
                if (pending.size() >= 32) {
                    pending.remove(0).join();
                }
            }
            pending.forEach(CompletableFuture::join);
        }
        double writeSeconds = (System.nanoTime() - writeStarted) / 1e9;
        long onDisk = directoryBytes(logDir);
        long started = System.nanoTime();
        long recovered;
        try (SegmentedLog log = SegmentedLog.open(logDir, options)) {
            recovered = log.lastIndex();
            double recoverySeconds = (System.nanoTime() - started) / 1e9;
            out.printf("recovery: %s on disk (%,d entries of %d B in %d segments, written in %.1f s): opened in"
                            + " %.2f s, %.0f MB/s, %,.0f entries/s (page cache warm)%n", bytes(onDisk), recovered,
                    recoveryEntryBytes, segmentCount(logDir), writeSeconds, recoverySeconds,
                    onDisk / 1e6 / recoverySeconds, recovered / recoverySeconds);
        } finally {
            deleteRecursively(logDir);
        }
    }

    /** CPU time of this whole process (all threads: appenders, writer, JIT, GC), or 0 if unknown. */
    private static long processCpuNanos() {
        return ManagementFactory.getOperatingSystemMXBean() instanceof OperatingSystemMXBean os
                ? os.getProcessCpuTime() : 0;
    }

    private static long directoryBytes(Path directory) throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            long total = 0;
            for (Path file : files.toList()) {
                total += Files.size(file);
            }
            return total;
        }
    }

    private static long segmentCount(Path directory) throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".wal")).count();
        }
    }

    private static void deleteRecursively(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }

    private static String bytes(long value) {
        if (value >= 1L << 30) {
            return String.format(Locale.ROOT, "%.2f GiB", value / (double) (1L << 30));
        }
        return value >= 1L << 20 ? String.format(Locale.ROOT, "%.1f MiB", value / (double) (1L << 20))
                : value + " B";
    }
}
