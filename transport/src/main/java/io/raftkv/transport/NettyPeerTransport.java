package io.raftkv.transport;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.raftkv.core.NodeId;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link PeerTransport} over TCP with Netty (R-OPS-4: peers on separate machines, nothing assumes
 * one host).
 *
 * <h2>Connections</h2>
 * Outbound, each peer gets two connections, one per {@link TrafficClass}: <em>control</em> for small,
 * latency-sensitive messages and <em>bulk</em> for entries and snapshot chunks, so heartbeats never
 * wait behind a snapshot transfer. Each has a queue bounded in messages and bytes, connects lazily (on
 * the first message), reconnects with capped exponential backoff and jitter, batches writes (one flush
 * per drain of the queue) and stops writing above its write-buffer high water mark. A peer is reached
 * at the address this node's configuration gives for it; connections carry one direction only, and
 * every message names its sender, so no handshake is needed.
 *
 * <p>Inbound, one server socket accepts every peer. Each frame is validated by
 * {@link PeerMessageCodec}; a connection that sends a bad frame (malformed, truncated, oversized, of an
 * unknown version or type) is closed with one WARN line naming its remote address and the reason, and
 * nothing else is affected. Messages addressed to another node are dropped and logged (rate-limited).
 *
 * <h2>Threads</h2>
 * One acceptor thread and {@link TransportOptions#ioThreads()} I/O threads, all daemon threads named
 * {@code raftkv-peer-<self>-...}, stopped by {@link #close()}. {@link #send} never blocks: it queues and
 * returns.
 *
 * <p>The inbound callback runs on the I/O thread of the connection the message arrived on: messages of
 * one connection are delivered one at a time and in order, but different connections (a peer's control
 * and bulk connections, different peers) call it concurrently. It must be thread-safe and must not
 * block, since it holds up every connection of its I/O thread: the node runtime queues the message into
 * its Raft loop and returns. An exception it throws is logged and the connection stays open. It must not
 * call {@link #close()}, which waits for the I/O threads to stop.
 */
public final class NettyPeerTransport implements PeerTransport {
    private static final Logger log = LoggerFactory.getLogger(NettyPeerTransport.class);
    private static final long WARN_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(10);
    private static final int ACCEPT_BACKLOG = 128;

    private final NodeId self;
    private final InetSocketAddress bindAddress;
    private final TransportOptions options;
    private final PeerMessageCodec codec;
    private final Consumer<PeerMessage> inbound;
    private final TransportCounters counters = new TransportCounters();
    private final Map<NodeId, PeerLink> links = new ConcurrentHashMap<>();
    private final EventLoopGroup acceptorGroup;
    private final EventLoopGroup ioGroup;
    /** The I/O threads' event loops, for placing each outbound connection explicitly. */
    private final List<EventLoop> ioLoops = new ArrayList<>();
    private final AtomicInteger nextLoop = new AtomicInteger();
    private final RateLimitedLog wrongDestinationLog = rateLimited();
    private final RateLimitedLog unknownPeerLog = rateLimited();
    private final RateLimitedLog oversizedLog = rateLimited();
    private final AtomicBoolean started = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile Channel serverChannel;

    /**
     * Creates the transport and its (idle) threads; nothing is bound until {@link #start()}. Messages
     * may be sent before then: outbound connections do not need the server socket.
     *
     * @param self    this node; every sent message must be from it, every accepted one to it
     * @param bind    the address to accept peer connections on (port 0: any free port)
     * @param peers   the address of each peer, as this node's configuration gives it; an entry for
     *                {@code self} is ignored
     * @param options limits and tuning
     * @param inbound receives every valid inbound message addressed to {@code self}; see the class
     *                comment for its threading rules
     */
    public NettyPeerTransport(NodeId self, InetSocketAddress bind, Map<NodeId, InetSocketAddress> peers,
                              TransportOptions options, Consumer<PeerMessage> inbound) {
        this.self = Objects.requireNonNull(self, "self");
        this.bindAddress = Objects.requireNonNull(bind, "bind");
        this.options = Objects.requireNonNull(options, "options");
        this.inbound = Objects.requireNonNull(inbound, "inbound");
        this.codec = options.codec();
        String prefix = "raftkv-peer-" + self.value();
        this.acceptorGroup = new NioEventLoopGroup(1, new DefaultThreadFactory(prefix + "-accept", true));
        this.ioGroup = new NioEventLoopGroup(options.ioThreads(), new DefaultThreadFactory(prefix + "-io", true));
        ioGroup.forEach(executor -> ioLoops.add((EventLoop) executor));
        peers.forEach(this::setPeerAddress);
    }

    @Override
    public void start() {
        if (closed.get()) {
            throw new IllegalStateException("[" + self + "] transport is closed");
        }
        if (!started.compareAndSet(false, true)) {
            throw new IllegalStateException("[" + self + "] transport already started");
        }
        ServerBootstrap server = new ServerBootstrap()
                .group(acceptorGroup, ioGroup)
                .channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_BACKLOG, ACCEPT_BACKLOG)
                .option(ChannelOption.SO_REUSEADDR, true) // a restarted node rebinds its port at once
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.SO_KEEPALIVE, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel channel) {
                        channel.pipeline().addLast(new PeerFrameDecoder(codec),
                                new InboundMessageHandler(self, codec, inbound, counters, wrongDestinationLog));
                    }
                });
        ChannelFuture bound = server.bind(bindAddress).awaitUninterruptibly();
        if (!bound.isSuccess()) {
            Throwable cause = bound.cause();
            String message = "[" + self + "] cannot accept peer connections on " + bindAddress + ": "
                    + (cause == null ? "unknown error" : cause.getMessage());
            if (cause instanceof IOException io) {
                throw new UncheckedIOException(message, io);
            }
            throw new IllegalStateException(message, cause);
        }
        serverChannel = bound.channel();
        log.info("[{}] accepting peer connections on {}", self, boundAddress());
    }

    /** This node's id. */
    public NodeId self() {
        return self;
    }

    @Override
    public InetSocketAddress boundAddress() {
        Channel server = serverChannel;
        if (server == null) {
            throw new IllegalStateException("[" + self + "] transport not started");
        }
        return (InetSocketAddress) server.localAddress();
    }

    @Override
    public void send(PeerMessage message) {
        Objects.requireNonNull(message, "message");
        if (!message.from().equals(self)) {
            throw new IllegalArgumentException("[" + self + "] cannot send a message from " + message.from());
        }
        if (closed.get()) {
            counters.dropped(DropReason.CLOSED);
            return;
        }
        PeerLink link = links.get(message.to());
        if (link == null) {
            counters.dropped(DropReason.UNKNOWN_PEER);
            unknownPeerLog.warn(() -> "[" + self + "] dropped a message to " + message.to() + ": no address known");
            return;
        }
        if (!codec.fits(message)) {
            // A configuration error (an entry or chunk larger than maxFrameBytes): Raft would resend the
            // same message forever, so this is logged, not just counted.
            counters.dropped(DropReason.OVERSIZED);
            oversizedLog.warn(() -> "[" + self + "] dropped " + message + ": its frame of " + codec.frameBytes(message)
                    + " bytes exceeds maxFrameBytes " + codec.maxFrameBytes() + " or maxEntriesPerFrame "
                    + codec.maxEntriesPerFrame());
            return;
        }
        long frameBytes = codec.frameBytes(message);
        link.send(message, frameBytes, TrafficClass.of(message, frameBytes, options.controlMessageBytesMax()));
    }

    @Override
    public void setPeerAddress(NodeId peer, InetSocketAddress address) {
        Objects.requireNonNull(peer, "peer");
        Objects.requireNonNull(address, "address");
        if (peer.equals(self)) {
            log.debug("[{}] ignoring an address for this node itself", self);
            return;
        }
        if (closed.get()) {
            return;
        }
        links.compute(peer, (id, existing) -> {
            if (existing == null) {
                return newLink(id, address);
            }
            existing.moveTo(address);
            return existing;
        });
    }

    @Override
    public void removePeer(NodeId peer) {
        PeerLink link = links.remove(peer);
        if (link != null) {
            link.close();
        }
    }

    @Override
    public TransportStats stats() {
        Map<NodeId, PeerStats> peers = new HashMap<>();
        links.forEach((id, link) -> peers.put(id, link.stats()));
        return counters.snapshot(peers);
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        links.values().forEach(PeerLink::close);
        Channel server = serverChannel;
        if (server != null) {
            server.close().awaitUninterruptibly();
        }
        // Quiet period 0: pending tasks (the lanes' close tasks) still run before the threads stop.
        var ioDone = ioGroup.shutdownGracefully(0, 2, TimeUnit.SECONDS);
        var acceptorDone = acceptorGroup.shutdownGracefully(0, 2, TimeUnit.SECONDS);
        if (!ioDone.awaitUninterruptibly(5, TimeUnit.SECONDS) || !acceptorDone.awaitUninterruptibly(5, TimeUnit.SECONDS)) {
            log.warn("[{}] peer transport I/O threads did not stop within 5 s", self);
        }
        log.info("[{}] peer transport closed", self);
    }

    private PeerLink newLink(NodeId peer, InetSocketAddress address) {
        // Adjacent loops: with two or more I/O threads a peer's control and bulk connections are
        // served by different threads, so encoding a batch of chunks never delays a heartbeat's write.
        int first = Math.floorMod(nextLoop.getAndIncrement(), ioLoops.size());
        EventLoop controlLoop = ioLoops.get(first);
        EventLoop bulkLoop = ioLoops.get((first + 1) % ioLoops.size());
        return new PeerLink(newLane(peer, TrafficClass.CONTROL, address, controlLoop),
                newLane(peer, TrafficClass.BULK, address, bulkLoop));
    }

    private OutboundLane newLane(NodeId peer, TrafficClass trafficClass, InetSocketAddress address,
                                 EventLoop eventLoop) {
        WriteBufferWaterMark waterMark = trafficClass == TrafficClass.CONTROL
                ? new WriteBufferWaterMark(options.controlWriteBufferLowBytes(), options.controlWriteBufferHighBytes())
                : new WriteBufferWaterMark(options.bulkWriteBufferLowBytes(), options.bulkWriteBufferHighBytes());
        Bootstrap bootstrap = new Bootstrap()
                .group(eventLoop)
                .channel(NioSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.SO_KEEPALIVE, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) options.connectTimeout().toMillis())
                .option(ChannelOption.WRITE_BUFFER_WATER_MARK, waterMark);
        OutboundQueue queue = trafficClass == TrafficClass.CONTROL
                ? new OutboundQueue(options.controlQueueMessages(), options.controlQueueBytes())
                : new OutboundQueue(options.bulkQueueMessages(), options.bulkQueueBytes());
        Backoff backoff = new Backoff(options.reconnectBackoffMin(), options.reconnectBackoffMax(), new SplittableRandom());
        OutboundLane lane = new OutboundLane(self, peer, trafficClass, address, eventLoop, bootstrap, queue, backoff,
                counters);
        bootstrap.handler(new ChannelInitializer<SocketChannel>() {
            @Override
            protected void initChannel(SocketChannel channel) {
                channel.pipeline().addLast(new PeerFrameEncoder(codec), new OutboundChannelHandler(self, lane));
            }
        });
        return lane;
    }

    private static RateLimitedLog rateLimited() {
        return new RateLimitedLog(log, WARN_INTERVAL_NANOS, System::nanoTime);
    }
}
