package io.raftkv.cli;

import io.raftkv.core.EntryType;
import io.raftkv.storage.wal.SegmentedLog;
import java.util.ArrayList;
import java.util.List;
import org.HdrHistogram.Histogram;

/** Appender threads that append one entry, wait for durability, and record the latency. */
final class BenchAppendLoad {
    private final int threads;
    private final int size;
    private final List<Thread> workers = new ArrayList<>();
    private final List<Histogram> histograms = new ArrayList<>();
    private volatile boolean running = true;
    private volatile boolean measuring;

    BenchAppendLoad(int threads, int size) {
        this.threads = threads;
        this.size = size;
    }

    void start(SegmentedLog log) {
        for (int t = 0; t < threads; t++) {
            Histogram histogram = new Histogram(60_000_000_000L, 3);
            histograms.add(histogram);
            byte[] data = new byte[size];
            Thread worker = new Thread(() -> {
                while (running) {
                    long started = System.nanoTime();
                    log.append(1, EntryType.NORMAL, data).join();
                    if (measuring) {
                        histogram.recordValue(System.nanoTime() - started);
                    }
                }
            }, "bench-appender-" + t);
            worker.setDaemon(true);
            workers.add(worker);
            worker.start();
        }
    }

    void measure(boolean on) {
        measuring = on;
    }

    void stop() throws InterruptedException {
        running = false;
        for (Thread worker : workers) {
            worker.join();
        }
    }

    /** All appenders' latencies; call after {@link #stop()}. */
    Histogram latency() {
        Histogram all = new Histogram(60_000_000_000L, 3);
        histograms.forEach(all::add);
        return all;
    }
}
