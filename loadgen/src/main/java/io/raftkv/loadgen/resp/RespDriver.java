package io.raftkv.loadgen.resp;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.raftkv.loadgen.Endpoint;
import io.raftkv.loadgen.ReadMode;
import io.raftkv.loadgen.StoreDriver;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Drives a Redis-protocol store (raftkv) with {@code SET key value} and {@code GET key} over Netty.
 * Stale reads send {@code READONLY} first on every connection (raftkv serves that connection's
 * reads from local state); lease reads are a server start option
 * ({@code raftkv server --read-mode lease}), so in that mode the connections are the same as for
 * linearizable reads and the run is only labelled.
 */
public final class RespDriver implements StoreDriver {
    private final String system;
    private final ReadMode readMode;
    private final Duration timeout;
    private final EventLoopGroup group;

    /**
     * @param system    the name in reports
     * @param readMode  how connections read
     * @param timeout   per operation
     * @param ioThreads Netty event loops carrying the connections (and the clients' next operations)
     */
    public RespDriver(String system, ReadMode readMode, Duration timeout, int ioThreads) {
        this.system = system;
        this.readMode = readMode;
        this.timeout = timeout;
        AtomicInteger count = new AtomicInteger();
        this.group = new NioEventLoopGroup(ioThreads, runnable -> {
            Thread thread = new Thread(runnable, "loadgen-resp-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Event loops for {@code connections} connections on this machine: one per core, at most one per connection. */
    public static int defaultIoThreads(int connections) {
        return Math.max(1, Math.min(connections, Runtime.getRuntime().availableProcessors()));
    }

    @Override
    public String system() {
        return system;
    }

    @Override
    public String readModeLabel(ReadMode mode) {
        return mode.label;
    }

    @Override
    public RespConnection connect(Endpoint endpoint) {
        return new RespConnection(group.next(), endpoint, readMode == ReadMode.STALE, timeout);
    }

    @Override
    public void close() {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
