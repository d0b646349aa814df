package io.raftkv.loadgen;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Writes every key of the key space once before a run that reads, so that reads hit a value of the
 * configured size. Keys are spread over the connections with a bounded number of writes in flight;
 * a write that fails is retried a few times (an election may be under way) before the run gives up.
 */
public final class Preloader {
    /** Writes in flight during the preload: enough to batch on any store, few enough for a small machine. */
    static final int WINDOW = 128;
    private static final int ATTEMPTS_MAX = 5;
    private static final long RETRY_DELAY_MILLIS = 200;

    private Preloader() {
    }

    /**
     * Writes keys {@code <prefix>0000000000 ..} for {@code keys} keys once each, as the load's reads
     * expect them, e.g. to fill a store with a given amount of state; throws
     * {@link IllegalStateException} if one keeps failing.
     */
    public static void writeKeys(List<StoreConnection> connections, String prefix, long keys, byte[] value,
                                 Duration timeout, ScheduledExecutorService timer) throws InterruptedException {
        preload(connections, new KeySpace(prefix, keys), value, timeout, timer);
    }

    /** Writes keys {@code 0 .. keys-1}; throws {@link IllegalStateException} if one keeps failing. */
    static void preload(List<StoreConnection> connections, KeySpace keys, byte[] value, Duration timeout,
                        ScheduledExecutorService timer) throws InterruptedException {
        Semaphore window = new Semaphore(WINDOW);
        AtomicReference<Throwable> failed = new AtomicReference<>();
        for (long number = 0; number < keys.size() && failed.get() == null; number++) {
            if (!window.tryAcquire(timeout.toMillis() + 1000, TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException("preload stalled: no write completed for " + timeout);
            }
            StoreConnection connection = connections.get((int) (number % connections.size()));
            byte[] key = keys.key(number);
            write(connection, key, value, 1, timer).whenComplete((ok, failure) -> {
                if (failure != null) {
                    failed.compareAndSet(null, failure);
                }
                window.release();
            });
        }
        if (!window.tryAcquire(WINDOW, timeout.toMillis() * ATTEMPTS_MAX + 1000, TimeUnit.MILLISECONDS)) {
            throw new IllegalStateException("preload did not finish within the operation timeout");
        }
        if (failed.get() != null) {
            throw new IllegalStateException("preload failed after " + ATTEMPTS_MAX + " attempts of one key: "
                    + failed.get().getMessage(), failed.get());
        }
    }

    private static CompletableFuture<Void> write(StoreConnection connection, byte[] key, byte[] value, int attempt,
                                                 ScheduledExecutorService timer) {
        CompletableFuture<Void> result = new CompletableFuture<>();
        connection.put(key, value).whenComplete((ok, failure) -> {
            if (failure == null) {
                result.complete(null);
            } else if (attempt >= ATTEMPTS_MAX) {
                result.completeExceptionally(failure);
            } else {
                timer.schedule(() -> write(connection, key, value, attempt + 1, timer).whenComplete((again, last) -> {
                    if (last == null) {
                        result.complete(null);
                    } else {
                        result.completeExceptionally(last);
                    }
                }), RETRY_DELAY_MILLIS, TimeUnit.MILLISECONDS);
            }
        });
        return result;
    }
}
