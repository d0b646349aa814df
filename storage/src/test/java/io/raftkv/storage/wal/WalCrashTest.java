package io.raftkv.storage.wal;

import static org.assertj.core.api.Assertions.assertThat;

import io.raftkv.core.LogEntry;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Crash recovery with real process kills (R-DISK-1): a child JVM ({@link WalCrashChild}) writes
 * with fsync from many threads and prints each acknowledgement; we SIGKILL it at a random moment,
 * reopen its log, and check that every acknowledged write is there, intact and in order, and that
 * the log is valid. The same directory goes through every kill, so recovery also recovers logs
 * that earlier recoveries cut.
 *
 * <p>{@code -Draftkv.wal.crashKills=N} sets the kills per test (default 20 and 10); seeds come
 * from {@code -Draftkv.wal.crashSeed} (default: time) and are printed for replay.
 */
class WalCrashTest {
    private static final Logger LOG = LoggerFactory.getLogger(WalCrashTest.class);
    private static final int KILLS = Integer.getInteger("raftkv.wal.crashKills", 20);
    private static final long SEED = Long.getLong("raftkv.wal.crashSeed", System.nanoTime());

    @TempDir
    Path root;

    @Test
    void everyAcknowledgedAppendSurvivesSigkill() throws Exception {
        Random random = new Random(SEED);
        Path dir = root.resolve("append");
        Map<Long, byte[]> acknowledged = new HashMap<>();
        for (int run = 0; run < KILLS; run++) {
            List<String> lines = runAndKill(random, "append", dir.toString(), String.valueOf(run), "8");
            for (String line : lines) {
                if (line.startsWith("A ")) {
                    String[] f = line.split(" ");
                    acknowledged.put(Long.parseLong(f[1]), WalCrashChild.payload(Integer.parseInt(f[2]),
                            Integer.parseInt(f[3]), Long.parseLong(f[4])));
                }
            }
            try (SegmentedLog log = SegmentedLog.open(dir, WalCrashChild.OPTIONS)) {
                String where = "seed " + SEED + " run " + run;
                assertThat(log.firstIndex()).as(where).isEqualTo(1);
                List<LogEntry> entries = log.lastIndex() == 0 ? List.of() : log.read(1, log.lastIndex());
                for (int i = 0; i < entries.size(); i++) {
                    LogEntry entry = entries.get(i);
                    assertThat(entry.index()).as(where).isEqualTo(i + 1);
                    ByteBuffer data = ByteBuffer.wrap(entry.data());
                    assertThat(entry.data()).as(where + " entry " + entry.index() + " is intact").isEqualTo(
                            WalCrashChild.payload(data.getInt(0), data.getInt(4), data.getLong(8)));
                }
                for (Map.Entry<Long, byte[]> acked : acknowledged.entrySet()) {
                    assertThat(acked.getKey()).as(where + ": acknowledged index present").isLessThanOrEqualTo(
                            log.lastIndex());
                    assertThat(entries.get((int) (acked.getKey() - 1)).data()).as(where + " index " + acked.getKey())
                            .isEqualTo(acked.getValue());
                }
            }
        }
        LOG.info("seed {}: {} kills, {} acknowledged appends all recovered", SEED, KILLS, acknowledged.size());
        assertThat(acknowledged).as("the children acknowledged appends").hasSizeGreaterThan(KILLS);
    }

    @Test
    void truncationsCompactionsAndHardStatesSurviveSigkill() throws Exception {
        Random random = new Random(SEED + 1);
        Path dir = root.resolve("history");
        CrashHistory verified = new CrashHistory();
        long totalDone = 0;
        for (int run = 0; run < KILLS / 2; run++) {
            List<String> lines = runAndKill(random, "history", dir.toString(), String.valueOf(random.nextLong()));
            List<String> submitted = new ArrayList<>();
            long lastDone = 0;
            for (String line : lines) {
                assertThat(line).as("seed " + SEED + ": no write may fail").doesNotStartWith("E ");
                if (line.startsWith("S ")) {
                    String[] f = line.split(" ", 3);
                    assertThat(Long.parseLong(f[1])).isEqualTo(submitted.size() + 1);
                    submitted.add(f[2]);
                } else if (line.startsWith("D ")) {
                    long done = Long.parseLong(line.substring(2));
                    assertThat(done).as("acknowledgements arrive in submission order").isEqualTo(lastDone + 1);
                    lastDone = done;
                }
            }
            totalDone += lastDone;
            try (SegmentedLog log = SegmentedLog.open(dir, WalCrashChild.OPTIONS)) {
                List<LogEntry> entries = log.lastIndex() < log.firstIndex() ? List.of()
                        : log.read(log.firstIndex(), log.lastIndex());
                CrashHistory candidate = verified.copy();
                int matched = candidate.matches(log.firstIndex(), entries, log.hardState()) ? 0 : -1;
                for (int op = 1; op <= submitted.size() && (matched < 0 || op <= lastDone); op++) {
                    candidate.apply(submitted.get(op - 1));
                    if (op >= lastDone && candidate.matches(log.firstIndex(), entries, log.hardState())) {
                        matched = op;
                        verified = candidate.copy();
                    }
                }
                assertThat(matched).as("seed %d run %d: recovered log [%d, %d] %s must be the state after some"
                                + " operation >= the last acknowledged %d of %d submitted", SEED, run, log.firstIndex(),
                        log.lastIndex(), log.hardState(), lastDone, submitted.size())
                        .isGreaterThanOrEqualTo((int) lastDone);
            }
        }
        LOG.info("seed {}: {} kills, {} acknowledged operations, final log {}", SEED, KILLS / 2, totalDone, verified);
        assertThat(totalDone).as("the children acknowledged operations").isPositive();
    }

    /** Starts a child with {@code args}, SIGKILLs it at a random moment after it is ready, returns its stdout. */
    private List<String> runAndKill(Random random, String... args) throws Exception {
        Path logback = writeQuietLogbackConfig();
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-cp", System.getProperty("java.class.path"), "-Xmx256m", "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1", "-Dlogback.configurationFile=" + logback, WalCrashChild.class.getName()));
        command.addAll(List.of(args));
        Path stderr = root.resolve("child-stderr.txt");
        Process child = new ProcessBuilder(command).redirectError(stderr.toFile()).start();
        List<String> lines = new CopyOnWriteArrayList<>();
        CountDownLatch ready = new CountDownLatch(1);
        CompletableFuture<Void> reader = CompletableFuture.runAsync(() -> readLines(child, lines, ready));
        try {
            if (!ready.await(WalTestSupport.TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                throw new AssertionError("child never got ready: " + Files.readString(stderr));
            }
            Thread.sleep(20 + random.nextInt(230)); // the kill lands anywhere in the write pipeline
        } finally {
            // SIGKILL: no shutdown hooks, no flushing, like a crash. Through the handle, because
            // Process.destroyForcibly() also closes our end of the pipe and loses what the child printed.
            child.toHandle().destroyForcibly();
            assertThat(child.waitFor(WalTestSupport.TIMEOUT_SECONDS, TimeUnit.SECONDS)).isTrue();
        }
        reader.get(WalTestSupport.TIMEOUT_SECONDS, TimeUnit.SECONDS); // everything the child wrote before dying
        assertThat(child.exitValue()).as("killed, not crashed: " + Files.readString(stderr)).isEqualTo(137);
        return lines;
    }

    private static void readLines(Process child, List<String> lines, CountDownLatch ready) {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(child.getInputStream(),
                StandardCharsets.US_ASCII))) {
            for (String line; (line = reader.readLine()) != null; ) {
                if (line.equals("READY")) {
                    ready.countDown();
                } else if (line.length() > 2 && line.charAt(1) == ' ') {
                    lines.add(line);
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("reading the child's output", e);
        }
    }

    private Path writeQuietLogbackConfig() throws IOException {
        Path config = root.resolve("child-logback.xml");
        if (!Files.exists(config)) {
            Files.writeString(config, "<configuration>"
                    + "<appender name=\"ERR\" class=\"ch.qos.logback.core.ConsoleAppender\">"
                    + "<target>System.err</target><encoder><pattern>%level %logger{0} %msg%n</pattern></encoder>"
                    + "</appender><root level=\"WARN\"><appender-ref ref=\"ERR\"/></root></configuration>");
        }
        return config;
    }
}
