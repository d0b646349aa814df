package io.raftkv.cli;

import io.raftkv.loadgen.StoreConnection;
import io.raftkv.loadgen.resp.RespDriver;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAccumulator;

/**
 * Measures one failover from a client's side: from the kill, every 20 ms a write is tried on a
 * fresh connection to each survivor (attempts overlap, so one stuck behind the dead leader does
 * not delay the measurement); the first acknowledged write ends it. It also polls {@code INFO raft}
 * for the election of a leader in a newer term.
 */
final class BenchFailoverProbe implements AutoCloseable {
    private static final long ATTEMPT_EVERY_MILLIS = 20;
    private static final int ATTEMPTS_IN_FLIGHT_MAX = 200;

    private final RespDriver driver;
    private final BenchCluster cluster;
    private final List<BenchCluster.Node> survivors;
    private final long oldTerm;
    private final ScheduledExecutorService ticker = Executors.newScheduledThreadPool(2, runnable -> {
        Thread thread = new Thread(runnable, "bench-failover-probe");
        thread.setDaemon(true);
        return thread;
    });
    private final LongAccumulator firstOk = new LongAccumulator(Math::min, Long.MAX_VALUE);
    private final LongAccumulator elected = new LongAccumulator(Math::min, Long.MAX_VALUE);
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicLong sequence = new AtomicLong();
    private long killedAtNanos;

    BenchFailoverProbe(RespDriver driver, BenchCluster cluster, List<BenchCluster.Node> survivors, long oldTerm) {
        this.driver = driver;
        this.cluster = cluster;
        this.survivors = survivors;
        this.oldTerm = oldTerm;
    }

    void start(long killedAtNanos) {
        this.killedAtNanos = killedAtNanos;
        ticker.scheduleWithFixedDelay(this::attempts, 0, ATTEMPT_EVERY_MILLIS, TimeUnit.MILLISECONDS);
        ticker.scheduleWithFixedDelay(this::pollElection, 0, ATTEMPT_EVERY_MILLIS, TimeUnit.MILLISECONDS);
    }

    private void attempts() {
        if (firstOk.get() != Long.MAX_VALUE) {
            return;
        }
        for (BenchCluster.Node node : survivors) {
            if (inFlight.get() >= ATTEMPTS_IN_FLIGHT_MAX) {
                return;
            }
            inFlight.incrementAndGet();
            StoreConnection connection = driver.connect(node.endpoint());
            byte[] key = ("failover-probe-" + sequence.incrementAndGet()).getBytes(StandardCharsets.UTF_8);
            connection.put(key, new byte[] {'x'}).whenComplete((ok, failure) -> {
                if (failure == null) {
                    firstOk.accumulate(System.nanoTime());
                }
                inFlight.decrementAndGet();
                connection.close();
            });
        }
    }

    private void pollElection() {
        if (elected.get() != Long.MAX_VALUE) {
            return;
        }
        for (BenchCluster.Node node : survivors) {
            Map<String, String> info = cluster.info(node);
            String term = info.get("raft_term");
            if ("leader".equals(info.get("raft_role")) && term != null && Long.parseLong(term) > oldTerm) {
                elected.accumulate(System.nanoTime());
            }
        }
    }

    /** Milliseconds from the kill to the first acknowledged write; throws after {@code timeout}. */
    double awaitFirstWrite(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (firstOk.get() == Long.MAX_VALUE) {
            if (System.nanoTime() - deadline > 0) {
                throw new IllegalStateException("no write acknowledged within " + timeout + " of the kill: "
                        + cluster.describe());
            }
            Thread.sleep(5);
        }
        return (firstOk.get() - killedAtNanos) / 1e6;
    }

    /** Milliseconds from the kill until INFO showed a leader in a newer term, or NaN if not seen. */
    double electedMillis() {
        long at = elected.get();
        return at == Long.MAX_VALUE ? Double.NaN : (at - killedAtNanos) / 1e6;
    }

    @Override
    public void close() {
        ticker.shutdownNow();
    }
}
