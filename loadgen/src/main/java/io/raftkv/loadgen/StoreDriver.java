package io.raftkv.loadgen;

/**
 * A store the load generator can drive: it opens {@link StoreConnection}s to endpoints. The engine
 * (closed loop, warm-up, histograms, report, JSON) is the same for every store, so figures of two
 * stores measured with two drivers are comparable; only the wire protocol differs.
 *
 * <p>Implementations: {@link io.raftkv.loadgen.resp.RespDriver} (raftkv, or any Redis-protocol
 * server) here, and the etcd driver of the {@code bench-etcd} module.
 */
public interface StoreDriver extends AutoCloseable {
    /** The system's name in reports, e.g. {@code raftkv} or {@code etcd}. */
    String system();

    /** How this store calls the run's read mode, e.g. {@code serializable} for etcd's stale reads. */
    String readModeLabel(ReadMode mode);

    /**
     * Opens one connection. Connections may connect lazily and reconnect after failures; a driver
     * that cannot serve the configured read mode throws {@link IllegalArgumentException} here.
     */
    StoreConnection connect(Endpoint endpoint) throws Exception;

    /** Releases shared resources (event loops, thread pools), after every connection is closed. */
    @Override
    void close();
}
