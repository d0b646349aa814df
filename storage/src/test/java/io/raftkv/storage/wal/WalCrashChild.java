package io.raftkv.storage.wal;

import io.raftkv.core.EntryType;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;

/**
 * The process {@link WalCrashTest} kills. It opens (recovers) a log and writes to it until killed,
 * printing each acknowledgement to stdout the moment its future completes, never before.
 *
 * <pre>
 *   append DIR RUN THREADS   THREADS appenders; prints "A index run thread counter" per acknowledged append
 *   history DIR SEED         one driver pipelining random Raft-like operations (appends, suffix
 *                            replacements, hard states, compactions); prints "S seq op" before
 *                            submitting and "D seq" once durable
 * </pre>
 * Prints "READY" once recovery is done.
 */
public final class WalCrashChild {
    /** Segments small enough that every run rolls, truncates across segments and compacts whole files. */
    static final WalOptions OPTIONS = WalOptions.builder().segmentSizeBytes(16 << 10).maxBatchBytes(8 << 10)
            .preallocate(true).build();

    private WalCrashChild() {
    }

    public static void main(String[] args) throws Exception {
        PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), true, "US-ASCII");
        SegmentedLog log = SegmentedLog.open(Path.of(args[1]), OPTIONS);
        out.println("READY");
        if (args[0].equals("append")) {
            appendForever(log, Integer.parseInt(args[2]), Integer.parseInt(args[3]), out);
        } else {
            historyForever(log, Long.parseLong(args[2]), out);
        }
    }

    /** The payload of an append, which the parent can rebuild from what was printed. */
    static byte[] payload(int run, int thread, long counter) {
        int length = 16 + (int) ((counter * 7 + thread) % 150);
        ByteBuffer buffer = ByteBuffer.allocate(length).putInt(run).putInt(thread).putLong(counter);
        byte[] fill = WalTestSupport.data(counter, run * 1000L + thread + 1, length - 16);
        return buffer.put(fill).array();
    }

    private static void appendForever(SegmentedLog log, int run, int threads, PrintStream out) throws Exception {
        for (int t = 0; t < threads; t++) {
            int thread = t;
            Thread appender = new Thread(() -> {
                for (long counter = 0; ; counter++) {
                    long index = log.append(1, EntryType.NORMAL, payload(run, thread, counter)).join();
                    out.println("A " + index + " " + run + " " + thread + " " + counter);
                }
            }, "appender-" + t);
            appender.start();
        }
        Thread.currentThread().join(); // until killed
    }

    private static void historyForever(SegmentedLog log, long seed, PrintStream out) throws Exception {
        CrashHistory history = CrashHistory.of(log);
        Random random = new Random(seed);
        Semaphore inFlight = new Semaphore(8);
        for (long seq = 1; ; seq++) {
            inFlight.acquire();
            String line = history.randomOperation(random);
            out.println("S " + seq + " " + line);
            long done = seq;
            CompletableFuture<Void> future = CrashHistory.submit(line, log);
            future.whenComplete((ignored, failure) -> {
                out.println(failure == null ? "D " + done : "E " + done + " " + failure);
                inFlight.release();
            });
        }
    }
}
