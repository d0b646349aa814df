package io.raftkv.kv.resp;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.redis.FixedRedisMessagePool;
import io.netty.handler.codec.redis.RedisBulkStringAggregator;
import io.netty.handler.codec.redis.RedisDecoder;
import io.netty.handler.codec.redis.RedisEncoder;
import io.netty.handler.flush.FlushConsolidationHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.raftkv.kv.KvBackend;
import io.raftkv.kv.KvLimits;
import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Redis-protocol (RESP2) front end of a raftkv node (R-KV-1): redis-cli, redis-benchmark and
 * ordinary Redis client libraries talk to it unchanged. Writes go through {@link KvBackend#write}
 * (Raft), reads are served from the local state machine after {@link KvBackend#readBarrier}.
 *
 * <h2>Pipeline of each connection</h2>
 * <pre>
 * UndecodedBytesLimit  caps what the decoder may buffer waiting for a line end
 * RedisDecoder         Netty: bytes to RESP fragments (bulk strings streamed in chunks; inline commands on)
 * RequestGuard         request shape and size limits; refused parts become error replies
 * RedisBulkStringAggregator   Netty: a bulk string's chunks to one argument
 * RequestAssembler     arguments to a whole request (replaces Netty's RedisArrayAggregator, which leaks
 *                      the arguments of a request cut off by a disconnect)
 * FlushConsolidationHandler   Netty: fewer flush syscalls under pipelining
 * RedisEncoder         Netty: replies to bytes
 * RespConnection       ordering, back-pressure, execution
 * </pre>
 * Malformed RESP closes only the offending connection, with a log line (R-KV-3).
 */
public final class RespServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RespServer.class);
    private static final int FLUSHES_BEFORE_EXPLICIT_FLUSH = 256;
    private static final int WRITE_BUFFER_LOW_BYTES = 512 * 1024;
    private static final int WRITE_BUFFER_HIGH_BYTES = 2 * 1024 * 1024;
    private static final int ACCEPT_BACKLOG = 1024;
    private static final int INLINE_COMMAND_BYTES_MAX = 64 * 1024;

    private final RespServerConfig config;
    private final ServerContext context;
    /** Guards start and close, which may be called from different threads. */
    private final ReentrantLock lifecycle = new ReentrantLock();
    private EventLoopGroup acceptGroup;
    private EventLoopGroup ioGroup;
    private Channel serverChannel;

    /** A server for {@code backend}; call {@link #start()} to listen. */
    public RespServer(RespServerConfig config, KvBackend backend) {
        this.config = Objects.requireNonNull(config, "config");
        this.context = new ServerContext(config, Objects.requireNonNull(backend, "backend"), CommandTable.standard());
    }

    /**
     * Binds and starts accepting connections.
     *
     * @return the address it listens on (with the real port when the configured one was 0)
     * @throws InterruptedException if interrupted while binding
     */
    public InetSocketAddress start() throws InterruptedException {
        lifecycle.lock();
        try {
            return bind();
        } finally {
            lifecycle.unlock();
        }
    }

    private InetSocketAddress bind() throws InterruptedException {
        if (serverChannel != null) {
            throw new IllegalStateException("already started");
        }
        acceptGroup = new NioEventLoopGroup(1, new DefaultThreadFactory("raftkv-resp-accept", true));
        ioGroup = new NioEventLoopGroup(config.ioThreads(), new DefaultThreadFactory("raftkv-resp-io", true));
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(acceptGroup, ioGroup)
                .channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_BACKLOG, ACCEPT_BACKLOG)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.SO_KEEPALIVE, true)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK,
                        new WriteBufferWaterMark(WRITE_BUFFER_LOW_BYTES, WRITE_BUFFER_HIGH_BYTES))
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel channel) {
                        configure(channel.pipeline());
                    }
                });
        try {
            serverChannel = bootstrap.bind(config.bindHost(), config.port()).sync().channel();
        } catch (RuntimeException | InterruptedException e) {
            shutdownGroups();
            throw e;
        }
        InetSocketAddress address = (InetSocketAddress) serverChannel.localAddress();
        context.port = address.getPort();
        log.info("RESP server listening on {}", address);
        return address;
    }

    private void configure(ChannelPipeline pipeline) {
        RequestGuard.UndecodedBytesLimit undecoded = new RequestGuard.UndecodedBytesLimit();
        pipeline.addLast("undecodedBytesLimit", undecoded);
        pipeline.addLast("redisDecoder", new RedisDecoder(INLINE_COMMAND_BYTES_MAX,
                FixedRedisMessagePool.INSTANCE, true));
        pipeline.addLast("requestGuard", new RequestGuard(KvLimits.ARGUMENTS_PER_COMMAND_MAX,
                config.requestBytesMax(), undecoded));
        pipeline.addLast("bulkStringAggregator", new RedisBulkStringAggregator());
        pipeline.addLast("requestAssembler", new RequestAssembler());
        pipeline.addLast("flushConsolidation", new FlushConsolidationHandler(FLUSHES_BEFORE_EXPLICIT_FLUSH, true));
        pipeline.addLast("redisEncoder", new RedisEncoder());
        pipeline.addLast("connection", new RespConnection(context));
    }

    /** The address it listens on, or null before {@link #start()}. */
    public InetSocketAddress localAddress() {
        lifecycle.lock();
        try {
            return serverChannel == null ? null : (InetSocketAddress) serverChannel.localAddress();
        } finally {
            lifecycle.unlock();
        }
    }

    /** The number of open client connections. */
    public int connectionCount() {
        return context.stats.connectedClients.get();
    }

    /** Stops accepting, closes every connection, and stops the I/O threads. */
    @Override
    public void close() {
        lifecycle.lock();
        try {
            if (serverChannel != null) {
                serverChannel.close().awaitUninterruptibly();
                serverChannel = null;
                log.info("RESP server stopped");
            }
            shutdownGroups();
        } finally {
            lifecycle.unlock();
        }
    }

    private void shutdownGroups() {
        if (acceptGroup != null) {
            acceptGroup.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly();
            acceptGroup = null;
        }
        if (ioGroup != null) {
            ioGroup.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly();
            ioGroup = null;
        }
    }
}
