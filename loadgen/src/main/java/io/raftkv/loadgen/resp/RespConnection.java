package io.raftkv.loadgen.resp;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.redis.RedisArrayAggregator;
import io.netty.handler.codec.redis.RedisBulkStringAggregator;
import io.netty.handler.codec.redis.RedisDecoder;
import io.netty.handler.codec.redis.RedisMessage;
import io.netty.util.concurrent.ScheduledFuture;
import io.raftkv.loadgen.Endpoint;
import io.raftkv.loadgen.OperationException;
import io.raftkv.loadgen.StoreConnection;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * One Redis-protocol connection, pipelined: requests are written as they come and replies matched
 * to them in order. All state lives on one Netty event loop, so there are no locks: calls from
 * other threads hop onto it. Writes made while the loop handles a batch of replies (each reply
 * starts a client's next request) are flushed once, after the batch.
 *
 * <p>It connects on first use and again after the connection dropped; requests that were in flight
 * fail as {@code connection} errors. In stale-read mode the first request on each new connection
 * is {@code READONLY}. A sweep every 100 ms fails requests older than the timeout as
 * {@code timeout} errors.
 */
public final class RespConnection implements StoreConnection {
    private static final long SWEEP_MILLIS = 100;
    private static final int CONNECT_TIMEOUT_MILLIS_MAX = 5_000;

    private final EventLoop loop;
    private final Endpoint endpoint;
    private final boolean readOnly;
    private final long timeoutNanos;
    /** Requests written, oldest first, awaiting replies. Event loop only. */
    private final ArrayDeque<Pending> inFlight = new ArrayDeque<>();
    /** Requests waiting for the connection to open. Event loop only. */
    private final ArrayDeque<Pending> waiting = new ArrayDeque<>();
    private final ScheduledFuture<?> sweeper;
    private Channel channel;
    private boolean connecting;
    private boolean flushScheduled;
    private boolean closed;

    RespConnection(EventLoop loop, Endpoint endpoint, boolean readOnly, Duration timeout) {
        this.loop = loop;
        this.endpoint = endpoint;
        this.readOnly = readOnly;
        this.timeoutNanos = timeout.toNanos();
        this.sweeper = loop.scheduleAtFixedRate(this::sweepTimeouts, SWEEP_MILLIS, SWEEP_MILLIS, TimeUnit.MILLISECONDS);
    }

    @Override
    @SuppressWarnings("unchecked")
    public CompletableFuture<Void> put(byte[] key, byte[] value) {
        return (CompletableFuture<Void>) (CompletableFuture<?>) submit(Pending.Expect.ACK,
                new byte[][] {RespCommands.SET, key, value});
    }

    @Override
    @SuppressWarnings("unchecked")
    public CompletableFuture<Boolean> get(byte[] key) {
        return (CompletableFuture<Boolean>) (CompletableFuture<?>) submit(Pending.Expect.FOUND,
                new byte[][] {RespCommands.GET, key});
    }

    /**
     * Any command; completes with the reply as Java values (String, Long, List, null), or fails
     * with an {@link OperationException} carrying the error code.
     */
    public CompletableFuture<Object> command(String... args) {
        byte[][] bytes = new byte[args.length][];
        for (int i = 0; i < args.length; i++) {
            bytes[i] = args[i].getBytes(StandardCharsets.UTF_8);
        }
        return submit(Pending.Expect.VALUE, bytes);
    }

    public Endpoint endpoint() {
        return endpoint;
    }

    private CompletableFuture<Object> submit(Pending.Expect expect, byte[][] args) {
        Pending request = new Pending(expect, args);
        if (loop.inEventLoop()) {
            enqueue(request);
        } else {
            loop.execute(() -> enqueue(request));
        }
        return request.future;
    }

    private void enqueue(Pending request) {
        if (closed) {
            request.fail(OperationException.CONNECTION, "connection to " + endpoint + " closed by the load generator");
        } else if (channel != null && channel.isActive()) {
            write(request);
        } else {
            waiting.add(request);
            if (!connecting) {
                connect();
            }
        }
    }

    private void write(Pending request) {
        inFlight.add(request);
        channel.write(RespCommands.encode(channel.alloc(), request.args), channel.voidPromise());
        if (!flushScheduled) {
            flushScheduled = true;
            loop.execute(this::flush);
        }
    }

    private void flush() {
        flushScheduled = false;
        if (channel != null) {
            channel.flush();
        }
    }

    private void connect() {
        connecting = true;
        Bootstrap bootstrap = new Bootstrap().group(loop).channel(NioSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS,
                        (int) Math.min(CONNECT_TIMEOUT_MILLIS_MAX, Math.max(1, timeoutNanos / 1_000_000)))
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new RedisDecoder(), new RedisBulkStringAggregator(),
                                new RedisArrayAggregator(), new ReplyHandler());
                    }
                });
        bootstrap.connect(endpoint.host(), endpoint.port()).addListener((ChannelFuture done) -> connected(done));
    }

    private void connected(ChannelFuture done) {
        connecting = false;
        if (!done.isSuccess() || closed) {
            String why = closed ? "closed by the load generator" : String.valueOf(done.cause());
            failAll(waiting, "cannot connect to " + endpoint + ": " + why);
            if (done.isSuccess()) {
                done.channel().close();
            }
            return;
        }
        Channel opened = done.channel();
        channel = opened;
        opened.closeFuture().addListener(f -> disconnected(opened));
        if (readOnly) {
            Pending handshake = new Pending(Pending.Expect.VALUE, new byte[][] {RespCommands.READONLY});
            handshake.future.whenComplete((reply, failure) -> {
                if (failure != null) {
                    opened.close(); // the server refused stale reads: fail rather than measure the wrong mode
                }
            });
            write(handshake);
        }
        while (!waiting.isEmpty()) {
            write(waiting.poll());
        }
    }

    private void disconnected(Channel closedChannel) {
        if (channel == closedChannel) {
            channel = null;
        }
        failAll(inFlight, "connection to " + endpoint + " closed with the request in flight");
    }

    private static void failAll(ArrayDeque<Pending> requests, String message) {
        while (!requests.isEmpty()) {
            requests.poll().fail(OperationException.CONNECTION, message);
        }
    }

    private void reply(RedisMessage message) {
        Pending request = inFlight.poll();
        if (request == null) {
            channel.close(); // a reply to nothing: the stream is out of step, nothing after it can be trusted
            return;
        }
        request.complete(message);
    }

    private void sweepTimeouts() {
        long now = System.nanoTime();
        expire(inFlight, now);
        expire(waiting, now);
    }

    private void expire(ArrayDeque<Pending> requests, long now) {
        for (Pending request : requests) {
            if (now - request.queuedNanos < timeoutNanos) {
                return; // oldest first: the rest are younger
            }
            if (!request.future.isDone()) {
                request.fail(OperationException.TIMEOUT, "no reply from " + endpoint + " within "
                        + timeoutNanos / 1_000_000 + " ms");
            }
        }
    }

    @Override
    public void close() {
        loop.execute(() -> {
            closed = true;
            sweeper.cancel(false);
            failAll(waiting, "connection to " + endpoint + " closed by the load generator");
            if (channel != null) {
                channel.close();
            }
        });
    }

    /** Hands each decoded reply to the connection, on its event loop; closes on decoding errors. */
    private final class ReplyHandler extends SimpleChannelInboundHandler<RedisMessage> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, RedisMessage message) {
            reply(message);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}
