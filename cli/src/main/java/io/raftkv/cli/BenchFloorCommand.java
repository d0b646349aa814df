package io.raftkv.cli;

import java.nio.charset.StandardCharsets;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.HdrHistogram.Histogram;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code raftkv bench floor}: the physical floor to compare the store's latencies with (issue 7):
 * raw fsync latency of the disk under {@code --dir} and the loopback TCP round trip, plus the
 * floor of one client's replicated write that follows from them.
 */
@Command(name = "floor", mixinStandardHelpOptions = true,
        description = {"The physical floor on this machine: 4 KiB write + fdatasync latency of the disk under --dir,"
                + " and the round trip of a 64 B ping-pong over loopback TCP.",
                "A durable replicated write of one client cannot take less than one client round trip plus the"
                        + " leader's fsync in parallel with a follower's round trip and fsync (thesis §10.2.1)."})
final class BenchFloorCommand implements Callable<Integer> {
    private static final int PING_BYTES = 64;

    @Option(names = "--dir", paramLabel = "DIR",
            description = "Directory on the disk to measure (default: the system temporary directory); the"
                    + " compare script passes the directory holding the servers' data.")
    private Path dir;

    @Option(names = "--seconds", paramLabel = "S", defaultValue = "5",
            description = "Seconds per measurement (default ${DEFAULT-VALUE}).")
    private int seconds;

    @Option(names = "--json", paramLabel = "FILE", description = "Also write the figures as JSON to FILE.")
    private Path json;

    @Override
    public Integer call() throws Exception {
        if (seconds < 1) {
            System.err.println("--seconds must be >= 1");
            return 2;
        }
        Path base = dir == null ? Path.of(System.getProperty("java.io.tmpdir")) : Files.createDirectories(dir);
        FileStore store = Files.getFileStore(base);
        Duration each = Duration.ofSeconds(seconds);
        Path scratch = Files.createTempDirectory(base, "raftkv-floor");
        Histogram fsync;
        try {
            fsync = BenchFloor.fsyncLatency(scratch.resolve("fsync"), each, false);
        } finally {
            Files.deleteIfExists(scratch);
        }
        Histogram loopback = BenchFloor.loopbackRoundTrip(each, PING_BYTES);
        double fsyncP50 = micros(fsync, 50);
        double rttP50 = micros(loopback, 50);
        // Client -> leader -> (leader fsync || follower RTT + follower fsync) -> client.
        double writeFloor = rttP50 + Math.max(fsyncP50, rttP50 + fsyncP50);
        System.out.printf(Locale.ROOT, "physical floor (%d cores, %s %s, Java %s), %d s each:%n",
                Runtime.getRuntime().availableProcessors(), System.getProperty("os.name"),
                System.getProperty("os.version"), System.getProperty("java.version"), seconds);
        System.out.printf(Locale.ROOT, "  disk %s (%s, %s): 4 KiB append + fdatasync  p50 %,.0f us  p99 %,.0f us"
                        + "  (%,.0f fsyncs/s)%n", base, store.name(), store.type(), fsyncP50, micros(fsync, 99),
                fsync.getTotalCount() / (double) seconds);
        System.out.printf(Locale.ROOT, "  loopback TCP, %d B ping-pong           p50 %,.0f us  p99 %,.0f us%n",
                PING_BYTES, rttP50, micros(loopback, 99));
        System.out.printf(Locale.ROOT, "  floor of one client's durable write on a co-located 3-node cluster"
                + " (RTT + max(fsync, RTT + fsync), p50s): %,.0f us%n", writeFloor);
        if (json != null) {
            String text = String.format(Locale.ROOT, "{\"fsync\": {\"p50Micros\": %.1f, \"p99Micros\": %.1f, "
                            + "\"perSecond\": %.1f, \"dir\": \"%s\"},%n \"loopback\": {\"p50Micros\": %.1f, "
                            + "\"p99Micros\": %.1f, \"messageBytes\": %d},%n \"writeFloorP50Micros\": %.1f, "
                            + "\"seconds\": %d}%n", fsyncP50, micros(fsync, 99),
                    fsync.getTotalCount() / (double) seconds, base.toString().replace("\\", "\\\\").replace("\"", "\\\""),
                    rttP50, micros(loopback, 99), PING_BYTES, writeFloor, seconds);
            Files.writeString(json, text, StandardCharsets.UTF_8);
        }
        return 0;
    }

    private static double micros(Histogram histogram, double percentile) {
        return histogram.getTotalCount() == 0 ? 0 : histogram.getValueAtPercentile(percentile) / 1e3;
    }
}
