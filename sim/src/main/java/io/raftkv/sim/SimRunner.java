package io.raftkv.sim;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Runs many seeds, each an independent {@link Simulation}, on a few worker threads (a run itself is
 * single-threaded and deterministic, so results do not depend on the thread count), and prints a
 * report: a progress line, each failure with its replay command and trace, and a summary.
 */
public final class SimRunner {
    /** Totals over all seeds. */
    public record Summary(int seeds, long events, int failures, long wallNanos, List<SimResult> failed,
                          long faults, long snapshotsTaken, long snapshotsInstalled, long tornWrites,
                          long leaseReads, MembershipCounts membership) {
        public double eventsPerSecond() {
            return wallNanos == 0 ? 0 : events * 1e9 / wallNanos;
        }
    }

    private final SimConfig template;
    private final CoreFactory coreFactory;
    private final int threads;

    public SimRunner(SimConfig template, CoreFactory coreFactory, int threads) {
        this.template = template;
        this.coreFactory = coreFactory;
        this.threads = Math.max(1, threads);
    }

    /** Runs seeds {@code firstSeed .. firstSeed + count - 1}; stops early after {@code maxFailures}. */
    public Summary run(long firstSeed, int count, int maxFailures, PrintStream out) throws InterruptedException {
        long start = System.nanoTime();
        AtomicLong totalEvents = new AtomicLong();
        long faults = 0;
        long taken = 0;
        long installed = 0;
        long torn = 0;
        long lease = 0;
        MembershipCounts membership = MembershipCounts.NONE;
        AtomicInteger done = new AtomicInteger();
        List<SimResult> failed = new ArrayList<>();
        ThreadFactory factory = r -> {
            Thread t = new Thread(r, "sim-worker");
            t.setDaemon(true);
            return t;
        };
        ExecutorService pool = Executors.newFixedThreadPool(threads, factory);
        try {
            List<Future<SimResult>> futures = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                SimConfig config = template.withSeed(firstSeed + i);
                futures.add(pool.submit(() -> new Simulation(config, coreFactory).run()));
            }
            long lastProgress = System.nanoTime();
            for (Future<SimResult> future : futures) {
                SimResult result;
                try {
                    result = future.get();
                } catch (java.util.concurrent.ExecutionException e) {
                    throw new IllegalStateException("simulation crashed outside the protocol", e.getCause());
                }
                totalEvents.addAndGet(result.events());
                faults += result.faults();
                taken += result.snapshotsTaken();
                installed += result.snapshotsInstalled();
                torn += result.tornWrites();
                lease += result.leaseReads();
                membership = membership.plus(result.membership());
                int finished = done.incrementAndGet();
                if (!result.ok()) {
                    failed.add(result);
                    printFailure(result, out);
                    if (failed.size() >= maxFailures) {
                        break;
                    }
                }
                if (out != null && System.nanoTime() - lastProgress > 5_000_000_000L) {
                    lastProgress = System.nanoTime();
                    out.printf("  ... %d/%d seeds, %,d events, %d violations%n", finished, count, totalEvents.get(),
                            failed.size());
                }
            }
        } finally {
            pool.shutdownNow();
        }
        return new Summary(done.get(), totalEvents.get(), failed.size(), System.nanoTime() - start, failed, faults, taken,
                installed, torn, lease, membership);
    }

    private void printFailure(SimResult result, PrintStream out) {
        if (out == null) {
            return;
        }
        out.printf("seed %d: VIOLATION %s%n", result.seed(), result.violation());
        out.printf("last events before the failure (simulated ms):%n%s", result.trace());
        out.printf("replay: ./raftkv sim --seed %d --nodes %d --events %d%n%n", result.seed(), template.nodes(),
                template.events());
    }
}
