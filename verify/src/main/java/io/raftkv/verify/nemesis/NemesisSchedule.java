package io.raftkv.verify.nemesis;

import io.raftkv.verify.cluster.LocalCluster;
import io.raftkv.verify.history.FaultInterval;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Alternates fault and heal on its own thread: a quiet period, one fault from a randomly chosen
 * nemesis, a fault period, heal; until {@link #stop()}, which heals whatever is in place. Stopping
 * cuts the quiet and fault periods short but never a nemesis at work: a membership change is
 * finished, not abandoned half-way.
 */
public final class NemesisSchedule implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(NemesisSchedule.class);

    /** How long faults and the quiet periods between them last. */
    public record Timing(Duration faultMin, Duration faultMax, Duration healMin, Duration healMax) {
        /** Checks the ranges. */
        public Timing {
            if (faultMin.isNegative() || faultMax.compareTo(faultMin) < 0 || healMin.isNegative()
                    || healMax.compareTo(healMin) < 0) {
                throw new IllegalArgumentException("bad nemesis timing " + faultMin + ".." + faultMax + ", "
                        + healMin + ".." + healMax);
            }
        }

        /** Faults of 3 to 8 s, quiet periods of 3 to 6 s: long enough for elections, short enough for many faults. */
        public static Timing standard() {
            return new Timing(Duration.ofSeconds(3), Duration.ofSeconds(8), Duration.ofSeconds(3), Duration.ofSeconds(6));
        }
    }

    private final LocalCluster cluster;
    private final List<Nemesis> nemeses;
    private final Random random;
    private final Timing timing;
    private final LongSupplier clock;
    private final Consumer<FaultInterval> onHealed;
    private final Consumer<String> onInjected;
    private final Thread thread;
    private final CountDownLatch stopSignal = new CountDownLatch(1);
    private volatile boolean stopping;
    private volatile Throwable failure;

    /**
     * @param clock      the run's clock, nanoseconds since its start
     * @param onInjected told the description of each fault as it starts
     * @param onHealed   told every fault once healed
     */
    public NemesisSchedule(LocalCluster cluster, List<Nemesis> nemeses, Random random, Timing timing,
                           LongSupplier clock, Consumer<String> onInjected, Consumer<FaultInterval> onHealed) {
        this("verify-nemesis", cluster, nemeses, random, timing, clock, onInjected, onHealed);
    }

    /** @param threadName the name of its thread, for thread dumps */
    public NemesisSchedule(String threadName, LocalCluster cluster, List<Nemesis> nemeses, Random random, Timing timing,
                           LongSupplier clock, Consumer<String> onInjected, Consumer<FaultInterval> onHealed) {
        this.cluster = cluster;
        this.nemeses = List.copyOf(nemeses);
        this.random = random;
        this.timing = timing;
        this.clock = clock;
        this.onInjected = onInjected;
        this.onHealed = onHealed;
        this.thread = new Thread(this::run, threadName);
        thread.setDaemon(true);
    }

    public void start() {
        if (!nemeses.isEmpty()) {
            thread.start();
        }
    }

    private void run() {
        try {
            while (!stopping) {
                if (!sleep(between(timing.healMin(), timing.healMax()))) {
                    return;
                }
                Nemesis nemesis = nemeses.get(random.nextInt(nemeses.size()));
                long start = clock.getAsLong();
                Fault fault = nemesis.inject(cluster, random);
                if (fault == null) {
                    LOG.debug("{}: nothing to inject now", nemesis.name());
                    continue;
                }
                onInjected.accept(nemesis.name() + ": " + fault.description());
                LOG.debug("fault: {}: {}", nemesis.name(), fault.description());
                try {
                    sleep(between(timing.faultMin(), timing.faultMax()));
                } finally {
                    fault.heal();
                    onHealed.accept(new FaultInterval(nemesis.name(), fault.description(), start, clock.getAsLong()));
                    LOG.debug("healed: {}", fault.description());
                }
            }
        } catch (Throwable t) {
            failure = t;
            LOG.error("nemesis failed", t);
        }
    }

    private Duration between(Duration min, Duration max) {
        long span = max.toMillis() - min.toMillis();
        return min.plusMillis(span <= 0 ? 0 : random.nextLong(span + 1));
    }

    /** Sleeps unless stopping; false if cut short by {@link #stop()}. */
    private boolean sleep(Duration duration) throws InterruptedException {
        return !stopSignal.await(duration.toMillis(), TimeUnit.MILLISECONDS) && !stopping;
    }

    /**
     * Stops the schedule and heals the fault in place, if any.
     *
     * @throws IllegalStateException if the nemesis itself failed (it could not kill, restart or
     *                               cut); the run's faults are then not what it claims
     */
    public void stop() throws InterruptedException {
        stopping = true;
        stopSignal.countDown();
        if (thread.isAlive() || thread.getState() != Thread.State.NEW) {
            thread.join();
        }
        if (failure != null) {
            throw new IllegalStateException("the nemesis failed: " + failure, failure);
        }
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }
}
