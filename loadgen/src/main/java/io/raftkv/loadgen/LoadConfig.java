package io.raftkv.loadgen;

import java.time.Duration;
import java.util.List;

/**
 * The shape of one load run. Every figure of a report depends on all of these, so the JSON report
 * repeats them.
 *
 * @param endpoints      where to connect; connection {@code j} goes to endpoint {@code j mod size}
 * @param clients        closed-loop clients: each issues its next operation only when one of its
 *                       own completes, so the offered load adapts to the store's speed (no
 *                       coordinated-omission queueing inside the generator)
 * @param connections    connections shared by the clients (client {@code i} uses connection
 *                       {@code i mod connections}); fewer connections than clients means several
 *                       clients pipeline their requests on one connection. 1..clients
 * @param pipeline       operations each client keeps in flight, 1 = strictly one at a time
 * @param duration       measured time; ignored when {@code totalOps > 0}
 * @param totalOps       measured operations to run instead of a duration, or 0
 * @param warmup         time before measuring starts: operations started in it are not counted
 *                       (JIT, connection set-up, leader discovery, caches)
 * @param valueBytes     size of each written value
 * @param keys           key space: keys are drawn uniformly from {@code [0, keys)}
 * @param readRatio      probability that an operation is a read, 0..1
 * @param readMode       how reads are served (see {@link ReadMode})
 * @param preload        write every key once before the run when it reads, so reads hit
 * @param timeout        an operation without a reply for this long counts as a {@code timeout} error
 * @param keyPrefix      prepended to the zero-padded key number
 * @param awaitReady     before anything else, retry one write for up to this long until the store
 *                       accepts it (a fresh cluster electing its leader); zero skips the wait
 */
public record LoadConfig(List<Endpoint> endpoints, int clients, int connections, int pipeline, Duration duration,
                         long totalOps, Duration warmup, int valueBytes, long keys, double readRatio,
                         ReadMode readMode, boolean preload, Duration timeout, String keyPrefix, Duration awaitReady) {
    /** Clients beyond this are almost certainly a typo on a machine of this size. */
    public static final int CLIENTS_MAX = 100_000;
    /** Requests one client keeps in flight at most. */
    public static final int PIPELINE_MAX = 1024;
    /** Largest value written; raftkv's default value limit is 1 MiB. */
    public static final int VALUE_BYTES_MAX = 64 << 20;

    public LoadConfig {
        endpoints = List.copyOf(endpoints);
        if (endpoints.isEmpty()) {
            throw new IllegalArgumentException("at least one endpoint is needed");
        }
        check(clients >= 1 && clients <= CLIENTS_MAX, "clients must be in [1, " + CLIENTS_MAX + "]");
        check(connections >= 1 && connections <= clients, "connections must be in [1, clients=" + clients + "]");
        check(pipeline >= 1 && pipeline <= PIPELINE_MAX, "pipeline must be in [1, " + PIPELINE_MAX + "]");
        check(totalOps >= 0, "total must be >= 0");
        check(totalOps > 0 || (duration != null && !duration.isNegative() && !duration.isZero()),
                "a positive duration or total is needed");
        check(warmup != null && !warmup.isNegative(), "warmup must be >= 0");
        check(valueBytes >= 0 && valueBytes <= VALUE_BYTES_MAX, "value size must be in [0, " + VALUE_BYTES_MAX + "]");
        check(keys >= 1, "keys must be >= 1");
        check(readRatio >= 0 && readRatio <= 1, "read ratio must be in [0, 1]");
        check(readMode != null, "read mode is needed");
        check(timeout != null && timeout.toMillis() >= 1, "timeout must be >= 1 ms");
        check(keyPrefix != null, "key prefix must not be null");
        check(awaitReady != null && !awaitReady.isNegative(), "await-ready must be >= 0");
    }

    private static void check(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }

    /** True if the run is bounded by an operation count rather than a duration. */
    public boolean byTotal() {
        return totalOps > 0;
    }

    public static Builder builder(List<Endpoint> endpoints) {
        return new Builder(endpoints);
    }

    /** Defaults: 16 clients on 16 connections, 10 s after 2 s warm-up, 100 B values, 10,000 keys, writes. */
    public static final class Builder {
        private final List<Endpoint> endpoints;
        private int clients = 16;
        private int connections;
        private int pipeline = 1;
        private Duration duration = Duration.ofSeconds(10);
        private long totalOps;
        private Duration warmup = Duration.ofSeconds(2);
        private int valueBytes = 100;
        private long keys = 10_000;
        private double readRatio;
        private ReadMode readMode = ReadMode.LINEARIZABLE;
        private boolean preload = true;
        private Duration timeout = Duration.ofSeconds(15);
        private String keyPrefix = "bench-";
        private Duration awaitReady = Duration.ZERO;

        private Builder(List<Endpoint> endpoints) {
            this.endpoints = endpoints;
        }

        public Builder clients(int value) {
            clients = value;
            return this;
        }

        /** Connections; 0 (the default) means one per client. */
        public Builder connections(int value) {
            connections = value;
            return this;
        }

        public Builder pipeline(int value) {
            pipeline = value;
            return this;
        }

        public Builder duration(Duration value) {
            duration = value;
            return this;
        }

        public Builder totalOps(long value) {
            totalOps = value;
            return this;
        }

        public Builder warmup(Duration value) {
            warmup = value;
            return this;
        }

        public Builder valueBytes(int value) {
            valueBytes = value;
            return this;
        }

        public Builder keys(long value) {
            keys = value;
            return this;
        }

        public Builder readRatio(double value) {
            readRatio = value;
            return this;
        }

        public Builder readMode(ReadMode value) {
            readMode = value;
            return this;
        }

        public Builder preload(boolean value) {
            preload = value;
            return this;
        }

        public Builder timeout(Duration value) {
            timeout = value;
            return this;
        }

        public Builder keyPrefix(String value) {
            keyPrefix = value;
            return this;
        }

        public Builder awaitReady(Duration value) {
            awaitReady = value;
            return this;
        }

        public LoadConfig build() {
            return new LoadConfig(endpoints, clients, connections == 0 ? clients : connections, pipeline, duration,
                    totalOps, warmup, valueBytes, keys, readRatio, readMode, preload, timeout, keyPrefix, awaitReady);
        }
    }
}
