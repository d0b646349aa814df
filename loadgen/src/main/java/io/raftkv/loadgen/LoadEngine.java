package io.raftkv.loadgen;

import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Runs one closed-loop load against a store through its {@link StoreDriver}: connect, wait until
 * the store accepts writes, preload the key space if the run reads, then warm up, measure, and
 * wait for the measured operations to finish.
 *
 * <p>Threads: the driver's own (Netty event loops, gRPC executors) carry the clients, because each
 * completion starts the client's next operation; one timer thread prints the progress line, runs
 * the backoff after failures and the preload's retries.
 */
public final class LoadEngine {
    private static final Duration READY_RETRY = Duration.ofMillis(100);
    private static final Duration DRAIN_SLACK = Duration.ofSeconds(5);

    private final LoadConfig config;
    private final StoreDriver driver;
    private final PrintStream progress;
    /** The running measurement's window, for {@link #stop()}; null before measuring starts. */
    private volatile RunWindow window;
    private volatile boolean stopRequested;

    /**
     * @param progress where the progress line goes every second, or null for none
     */
    public LoadEngine(LoadConfig config, StoreDriver driver, PrintStream progress) {
        this.config = config;
        this.driver = driver;
        this.progress = progress;
    }

    /** Runs the load and returns what it measured; the driver stays open (the caller closes it). */
    public LoadResult run() throws Exception {
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "loadgen-timer");
            thread.setDaemon(true);
            return thread;
        });
        List<StoreConnection> connections = new ArrayList<>();
        try {
            for (int j = 0; j < config.connections(); j++) {
                connections.add(driver.connect(config.endpoints().get(j % config.endpoints().size())));
            }
            byte[] value = new byte[config.valueBytes()];
            ThreadLocalRandom.current().nextBytes(value);
            awaitReady(connections, value);
            KeySpace keys = new KeySpace(config.keyPrefix(), config.keys());
            if (config.readRatio() > 0 && config.preload()) {
                say("preloading %,d keys of %,d B", config.keys(), config.valueBytes());
                Preloader.preload(connections, keys, value, config.timeout(), timer);
            }
            return measure(connections, keys, value, timer);
        } finally {
            connections.forEach(StoreConnection::close);
            timer.shutdownNow();
        }
    }

    private LoadResult measure(List<StoreConnection> connections, KeySpace keys, byte[] value,
                               ScheduledExecutorService timer) throws InterruptedException {
        Map<OpType, OpStats> stats = new EnumMap<>(OpType.class);
        for (OpType type : OpType.values()) {
            stats.put(type, new OpStats(type));
        }
        long start = System.nanoTime();
        RunWindow window = new RunWindow(start, config);
        this.window = window;
        if (stopRequested) {
            window.stop();
        }
        Instant startedAt = Instant.now().plus(config.warmup());
        int slots = config.clients() * config.pipeline();
        CountDownLatch slotsDone = new CountDownLatch(slots);
        if (progress != null) {
            List<OpStats> shown = new ArrayList<>();
            if (config.readRatio() < 1) {
                shown.add(stats.get(OpType.WRITE));
            }
            if (config.readRatio() > 0) {
                shown.add(stats.get(OpType.READ));
            }
            ProgressReporter reporter = new ProgressReporter(progress, shown, window, start);
            timer.scheduleAtFixedRate(reporter::report, 1, 1, TimeUnit.SECONDS);
        }
        for (int i = 0; i < config.clients(); i++) {
            ClosedLoopClient client = new ClosedLoopClient(connections.get(i % connections.size()), window, keys, value,
                    config.readRatio(), stats.get(OpType.WRITE), stats.get(OpType.READ), timer, slotsDone);
            for (int s = 0; s < config.pipeline(); s++) {
                client.startSlot(timer);
            }
        }
        if (config.byTotal()) {
            slotsDone.await();
        } else {
            long waitNanos = config.warmup().plus(config.duration()).plus(config.timeout()).plus(DRAIN_SLACK).toNanos();
            if (!slotsDone.await(waitNanos, TimeUnit.NANOSECONDS)) {
                window.stop();
                say("gave up waiting for %d of %d client slots", slotsDone.getCount(), slots);
            }
        }
        double elapsed = window.elapsedSeconds();
        Map<OpType, OpSummary> summaries = new LinkedHashMap<>();
        for (OpStats op : stats.values()) {
            boolean ran = op.type == OpType.WRITE ? config.readRatio() < 1 : config.readRatio() > 0;
            if (ran) {
                summaries.put(op.type,
                        OpSummary.of(op.measured(), elapsed, op.errors(), op.misses(), op.errorSamples()));
            }
        }
        return new LoadResult(driver.system(), driver.readModeLabel(config.readMode()), config, startedAt, elapsed,
                summaries, slotsDone.getCount());
    }

    /**
     * Ends the run early from another thread (a scenario that used the load as background): clients
     * start no further operation, and {@link #run()} returns once the ones in flight finished.
     */
    public void stop() {
        stopRequested = true;
        RunWindow current = window;
        if (current != null) {
            current.stop();
        }
    }

    /** Retries one write on the first connection to each endpoint until each accepts it. */
    private void awaitReady(List<StoreConnection> connections, byte[] value) throws InterruptedException {
        if (config.awaitReady().isZero()) {
            return;
        }
        long deadline = System.nanoTime() + config.awaitReady().toNanos();
        byte[] key = (config.keyPrefix() + "ready").getBytes(java.nio.charset.StandardCharsets.UTF_8);
        int distinct = Math.min(config.endpoints().size(), connections.size());
        for (int j = 0; j < distinct; j++) {
            String last = "no attempt";
            while (true) {
                try {
                    connections.get(j).put(key, value).get(config.timeout().toMillis(), TimeUnit.MILLISECONDS);
                    break;
                } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                    last = e.getCause() == null ? e.toString() : e.getCause().getMessage();
                }
                if (System.nanoTime() - deadline > 0) {
                    throw new IllegalStateException("endpoint " + config.endpoints().get(j) + " did not accept a write"
                            + " within " + config.awaitReady().toMillis() + " ms; last: " + last);
                }
                Thread.sleep(READY_RETRY.toMillis());
            }
        }
    }

    private void say(String format, Object... args) {
        if (progress != null) {
            progress.printf(format + "%n", args);
        }
    }
}
