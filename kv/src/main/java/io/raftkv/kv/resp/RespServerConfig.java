package io.raftkv.kv.resp;

import io.raftkv.kv.KvLimits;
import io.raftkv.kv.ReadMode;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/**
 * Configuration of a {@link RespServer}. Every limit bounds memory or work per connection
 * (STYLE.md §1: "put a limit on everything"; R-KV-3, R-OPS-5); each field says why.
 *
 * @param bindHost           interface to listen on; default 127.0.0.1 (there is no authentication yet, R-OPS-7)
 * @param port               TCP port, 0 for an ephemeral one; default 6379
 * @param valueBytesMax      longest value a client may write, default {@link KvLimits#VALUE_BYTES_MAX_DEFAULT}
 *                           (see there); also the APPEND result limit stamped into commands
 * @param requestBytesMax    most bytes of arguments in one request, default 8 MiB: bounds what one
 *                           request makes the server buffer before it can even look at it
 * @param pipelineDepthMax   most commands of one connection received but not yet answered,
 *                           default 1024; beyond it the server stops reading that socket (TCP
 *                           back-pressure) instead of queueing without bound
 * @param pipelineBytesMax   most request bytes of one connection received but not yet answered,
 *                           default 64 MiB; the byte twin of {@code pipelineDepthMax}
 * @param connectionsMax     most open client connections, default 10,000; further connections get
 *                           an error and are closed
 * @param ioThreads          Netty event loop threads for client I/O, default max(2, cores)
 * @param commandTimeout     how long a command may wait for the node before the client gets an
 *                           error (UNKNOWN for a write, TRYAGAIN for a read), default 10 s; never
 *                           hang a client (R-CLIENT-1)
 * @param writeRetriesMax    how many times a write is re-proposed, in the same session with the
 *                           same sequence number, after a leader change or an unknown outcome,
 *                           default 3; the session makes this safe (R-CLIENT-3)
 * @param writeRetryBackoff  wait before the first retry, doubled for each further one, default 50 ms
 * @param defaultReadMode    read mode of a new connection, default {@link ReadMode#LINEARIZABLE}
 * @param clock              wall clock used only to stamp proposals with a time and for timeouts;
 *                           the state machine itself never reads a clock
 */
public record RespServerConfig(String bindHost, int port, int valueBytesMax, int requestBytesMax,
                               int pipelineDepthMax, long pipelineBytesMax, int connectionsMax, int ioThreads,
                               Duration commandTimeout, int writeRetriesMax, Duration writeRetryBackoff,
                               ReadMode defaultReadMode, Clock clock) {

    /** Per-argument framing overhead counted against {@code requestBytesMax} and the pipeline budget. */
    static final int ARGUMENT_OVERHEAD_BYTES = 16;

    public RespServerConfig {
        Objects.requireNonNull(bindHost, "bindHost");
        Objects.requireNonNull(commandTimeout, "commandTimeout");
        Objects.requireNonNull(writeRetryBackoff, "writeRetryBackoff");
        Objects.requireNonNull(defaultReadMode, "defaultReadMode");
        Objects.requireNonNull(clock, "clock");
        require(port >= 0 && port <= 65535, "port must be 0..65535: " + port);
        require(valueBytesMax >= 1 && valueBytesMax <= KvLimits.VALUE_BYTES_CEILING,
                "valueBytesMax must be 1.." + KvLimits.VALUE_BYTES_CEILING + ": " + valueBytesMax);
        require(requestBytesMax >= (long) valueBytesMax + KvLimits.KEY_BYTES_MAX + 1024,
                "requestBytesMax must hold a maximal key and value: " + requestBytesMax);
        require(pipelineDepthMax >= 1, "pipelineDepthMax must be >= 1: " + pipelineDepthMax);
        require(pipelineBytesMax >= requestBytesMax, "pipelineBytesMax must be >= requestBytesMax");
        require(connectionsMax >= 1, "connectionsMax must be >= 1: " + connectionsMax);
        require(ioThreads >= 1, "ioThreads must be >= 1: " + ioThreads);
        require(!commandTimeout.isNegative() && !commandTimeout.isZero(), "commandTimeout must be positive");
        require(writeRetriesMax >= 0 && writeRetriesMax <= 100, "writeRetriesMax must be 0..100: " + writeRetriesMax);
        require(!writeRetryBackoff.isNegative(), "writeRetryBackoff must be >= 0");
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }

    /** The defaults, listening on 127.0.0.1:6379. */
    public static RespServerConfig defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder starting from the defaults. */
    public static final class Builder {
        private String bindHost = "127.0.0.1";
        private int port = 6379;
        private int valueBytesMax = KvLimits.VALUE_BYTES_MAX_DEFAULT;
        private int requestBytesMax = 8 * 1024 * 1024;
        private int pipelineDepthMax = 1024;
        private long pipelineBytesMax = 64L * 1024 * 1024;
        private int connectionsMax = 10_000;
        private int ioThreads = Math.max(2, Runtime.getRuntime().availableProcessors());
        private Duration commandTimeout = Duration.ofSeconds(10);
        private int writeRetriesMax = 3;
        private Duration writeRetryBackoff = Duration.ofMillis(50);
        private ReadMode defaultReadMode = ReadMode.LINEARIZABLE;
        private Clock clock = Clock.systemUTC();

        private Builder() {
        }

        public Builder bindHost(String value) {
            bindHost = value;
            return this;
        }

        public Builder port(int value) {
            port = value;
            return this;
        }

        public Builder valueBytesMax(int value) {
            valueBytesMax = value;
            return this;
        }

        public Builder requestBytesMax(int value) {
            requestBytesMax = value;
            return this;
        }

        public Builder pipelineDepthMax(int value) {
            pipelineDepthMax = value;
            return this;
        }

        public Builder pipelineBytesMax(long value) {
            pipelineBytesMax = value;
            return this;
        }

        public Builder connectionsMax(int value) {
            connectionsMax = value;
            return this;
        }

        public Builder ioThreads(int value) {
            ioThreads = value;
            return this;
        }

        public Builder commandTimeout(Duration value) {
            commandTimeout = value;
            return this;
        }

        public Builder writeRetriesMax(int value) {
            writeRetriesMax = value;
            return this;
        }

        public Builder writeRetryBackoff(Duration value) {
            writeRetryBackoff = value;
            return this;
        }

        public Builder defaultReadMode(ReadMode value) {
            defaultReadMode = value;
            return this;
        }

        public Builder clock(Clock value) {
            clock = value;
            return this;
        }

        public RespServerConfig build() {
            return new RespServerConfig(bindHost, port, valueBytesMax, requestBytesMax, pipelineDepthMax,
                    pipelineBytesMax, connectionsMax, ioThreads, commandTimeout, writeRetriesMax,
                    writeRetryBackoff, defaultReadMode, clock);
        }
    }
}
