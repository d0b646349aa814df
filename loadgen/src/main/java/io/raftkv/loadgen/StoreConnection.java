package io.raftkv.loadgen;

import java.util.concurrent.CompletableFuture;

/**
 * One connection to a store, shared by several closed-loop clients, each with several requests in
 * flight (pipelining). Every method may be called from any thread and must not block: it returns
 * at once and completes the future later, on any thread.
 *
 * <p>A failed operation completes exceptionally with an {@link OperationException} whose kind the
 * report counts (the store's error code, {@code timeout} or {@code connection}); any other
 * exception counts as kind {@code other}. A driver enforces the run's operation timeout itself.
 */
public interface StoreConnection extends AutoCloseable {
    /** Writes {@code value} under {@code key}; completes once the store acknowledged the write. */
    CompletableFuture<Void> put(byte[] key, byte[] value);

    /** Reads {@code key}; completes with true if the key existed, false if not. */
    CompletableFuture<Boolean> get(byte[] key);

    @Override
    void close();
}
