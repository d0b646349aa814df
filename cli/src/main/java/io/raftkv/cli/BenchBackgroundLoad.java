package io.raftkv.cli;

import io.raftkv.loadgen.LoadConfig;
import io.raftkv.loadgen.LoadEngine;
import io.raftkv.loadgen.LoadResult;
import io.raftkv.loadgen.resp.RespDriver;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * Closed-loop writes in the background of a scenario ("under load"), until {@link #stop()}: the
 * loadgen engine on its own thread, with no progress line. Its result tells how many writes the
 * clients saw fail during the scenario, by error code.
 */
final class BenchBackgroundLoad implements AutoCloseable {
    private final RespDriver driver;
    private final LoadEngine engine;
    private final CompletableFuture<LoadResult> result = new CompletableFuture<>();

    BenchBackgroundLoad(BenchCluster cluster, int clients, int valueBytes) {
        LoadConfig config = LoadConfig.builder(cluster.endpoints()).clients(clients).valueBytes(valueBytes)
                .keys(10_000).warmup(Duration.ZERO).duration(Duration.ofDays(1)).timeout(Duration.ofSeconds(15))
                .keyPrefix("background-").awaitReady(Duration.ofSeconds(60)).build();
        this.driver = new RespDriver("raftkv", config.readMode(), config.timeout(), 1);
        this.engine = new LoadEngine(config, driver, null);
        Thread thread = new Thread(() -> {
            try {
                result.complete(engine.run());
            } catch (Exception e) {
                result.completeExceptionally(e);
            }
        }, "bench-background-load");
        thread.setDaemon(true);
        thread.start();
    }

    /** Stops the clients and returns what they measured. */
    LoadResult stop() {
        engine.stop();
        return result.join();
    }

    @Override
    public void close() {
        engine.stop();
        result.exceptionally(e -> null).join();
        driver.close();
    }
}
