package io.raftkv.loadgen;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.redis.ArrayRedisMessage;
import io.netty.handler.codec.redis.ErrorRedisMessage;
import io.netty.handler.codec.redis.FullBulkStringRedisMessage;
import io.netty.handler.codec.redis.RedisArrayAggregator;
import io.netty.handler.codec.redis.RedisBulkStringAggregator;
import io.netty.handler.codec.redis.RedisDecoder;
import io.netty.handler.codec.redis.RedisEncoder;
import io.netty.handler.codec.redis.RedisMessage;
import io.netty.handler.codec.redis.SimpleStringRedisMessage;
import io.netty.buffer.Unpooled;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAccumulator;

/**
 * A tiny in-process Redis-protocol server for the load generator's tests: SET and GET on a map,
 * READONLY, replies delayed (in order per connection) and rewritten by a pluggable behaviour, and
 * counters of what it saw: commands by name, connections, the first command of each connection,
 * and the most requests it held unanswered at once, overall and on one connection.
 */
final class FakeRespServer implements AutoCloseable {
    /** Decides the reply (null: never answer) and its delay for one request. */
    interface Behaviour {
        Reply reply(List<String> args, long nanosSinceFirstRequest, Map<String, byte[]> data);
    }

    record Reply(RedisMessage message, long delayMillis) {}

    final Map<String, AtomicLong> commands = new ConcurrentHashMap<>();
    final List<String> firstCommands = new CopyOnWriteArrayList<>();
    final AtomicInteger connections = new AtomicInteger();
    final LongAccumulator maxInFlight = new LongAccumulator(Math::max, 0);
    final LongAccumulator maxInFlightPerConnection = new LongAccumulator(Math::max, 0);
    private final AtomicInteger inFlight = new AtomicInteger();
    private final Map<String, byte[]> data = new ConcurrentHashMap<>();
    private final AtomicLong firstRequestNanos = new AtomicLong();
    private final EventLoopGroup group = new NioEventLoopGroup(1);
    private final Behaviour behaviour;
    private final Channel server;

    FakeRespServer(Behaviour behaviour) throws InterruptedException {
        this.behaviour = behaviour;
        this.server = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        connections.incrementAndGet();
                        ch.pipeline().addLast(new RedisDecoder(), new RedisBulkStringAggregator(),
                                new RedisArrayAggregator(), new RedisEncoder(), new Handler());
                    }
                }).bind("127.0.0.1", 0).sync().channel();
    }

    /** Answers SET with +OK, GET from the map, READONLY with +OK, after {@code delayMillis}. */
    static Behaviour store(long delayMillis) {
        return (args, since, data) -> new Reply(standard(args, data), delayMillis);
    }

    static RedisMessage standard(List<String> args, Map<String, byte[]> data) {
        switch (args.get(0).toUpperCase()) {
            case "SET" -> {
                data.put(args.get(1), args.get(2).getBytes(StandardCharsets.ISO_8859_1));
                return new SimpleStringRedisMessage("OK");
            }
            case "GET" -> {
                byte[] value = data.get(args.get(1));
                return value == null ? FullBulkStringRedisMessage.NULL_INSTANCE
                        : new FullBulkStringRedisMessage(Unpooled.wrappedBuffer(value));
            }
            case "READONLY", "PING" -> {
                return new SimpleStringRedisMessage("OK");
            }
            default -> {
                return new ErrorRedisMessage("ERR unknown command '" + args.get(0) + "'");
            }
        }
    }

    Endpoint endpoint() {
        InetSocketAddress address = (InetSocketAddress) server.localAddress();
        return new Endpoint("127.0.0.1", address.getPort());
    }

    long count(String command) {
        AtomicLong count = commands.get(command);
        return count == null ? 0 : count.get();
    }

    @Override
    public void close() {
        server.close().syncUninterruptibly();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    private final class Handler extends SimpleChannelInboundHandler<ArrayRedisMessage> {
        private long lastReplyNanos;
        private int connectionInFlight;
        private boolean first = true;

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, ArrayRedisMessage request) {
            List<String> args = new ArrayList<>();
            for (RedisMessage child : request.children()) {
                args.add(((FullBulkStringRedisMessage) child).content().toString(StandardCharsets.ISO_8859_1));
            }
            String name = args.get(0).toUpperCase();
            commands.computeIfAbsent(name, k -> new AtomicLong()).incrementAndGet();
            if (first) {
                firstCommands.add(name);
                first = false;
            }
            long now = System.nanoTime();
            firstRequestNanos.compareAndSet(0, now);
            Reply reply = behaviour.reply(args, now - firstRequestNanos.get(), data);
            maxInFlight.accumulate(inFlight.incrementAndGet());
            maxInFlightPerConnection.accumulate(++connectionInFlight);
            if (reply == null || reply.message() == null) {
                return; // never answered: the client times out
            }
            // Replies leave in request order even when delays differ.
            long at = Math.max(now + TimeUnit.MILLISECONDS.toNanos(reply.delayMillis()), lastReplyNanos);
            lastReplyNanos = at;
            ctx.executor().schedule(() -> {
                inFlight.decrementAndGet();
                connectionInFlight--;
                ctx.writeAndFlush(reply.message());
            }, at - now, TimeUnit.NANOSECONDS);
        }
    }
}
