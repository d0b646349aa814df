package io.raftkv.verify.cluster;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP relay for one direction of one pair of nodes: node {@code from} reaches node {@code to}
 * only through this proxy, so cutting it is a network fault between two real processes.
 *
 * <p>A raftkv node sends on the connections it opens and receives on the ones its peers open, so
 * the link from A to B carries exactly the messages A sends to B. Cutting only that link is
 * one-way loss; cutting both directions is a partition.
 *
 * <p>A cut link drops bytes silently, as a partitioned network does: the sender's writes succeed
 * and vanish, and connections it opens during the cut are accepted and swallowed. Healing closes
 * every connection that lost bytes (its stream has a hole, so a frame would be split) and lets new
 * ones through; the sender reconnects as it would after a real network failure.
 */
final class LinkProxy implements AutoCloseable {
    private final String from;
    private final String to;
    private final InetSocketAddress target;
    private final EventLoopGroup group;
    private final Set<Channel> accepted = ConcurrentHashMap.newKeySet();
    /** Connections that lost bytes during a cut; closed when the link heals. */
    private final Set<Channel> damaged = ConcurrentHashMap.newKeySet();
    private volatile boolean cut;
    private Channel server;

    LinkProxy(String from, String to, InetSocketAddress target, EventLoopGroup group) {
        this.from = from;
        this.to = to;
        this.target = target;
        this.group = group;
    }

    /** Binds an ephemeral port on {@code host} and returns it. */
    int start(String host) throws InterruptedException {
        server = new ServerBootstrap().group(group)
                .channel(NioServerSocketChannel.class)
                .childOption(ChannelOption.AUTO_READ, false)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel channel) {
                        channel.pipeline().addLast(new FrontendHandler());
                    }
                })
                .bind(host, 0).sync().channel();
        return ((InetSocketAddress) server.localAddress()).getPort();
    }

    String from() {
        return from;
    }

    String to() {
        return to;
    }

    boolean isCut() {
        return cut;
    }

    /** Starts dropping everything on this link. */
    void cut() {
        cut = true;
        damaged.addAll(accepted);
    }

    /** Stops dropping; connections that lost bytes are closed so that the sender reconnects. */
    void heal() {
        cut = false;
        for (Channel channel : damaged) {
            channel.close();
        }
        damaged.clear();
    }

    @Override
    public void close() {
        if (server != null) {
            server.close().syncUninterruptibly();
        }
        accepted.forEach(Channel::close);
    }

    @Override
    public String toString() {
        return from + "->" + to + (cut ? " (cut)" : "");
    }

    /** The connection from the sending node: relays to a fresh connection to the receiving node. */
    private final class FrontendHandler extends ChannelInboundHandlerAdapter {
        private Channel backend;

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            Channel frontend = ctx.channel();
            accepted.add(frontend);
            frontend.closeFuture().addListener(f -> {
                accepted.remove(frontend);
                damaged.remove(frontend);
            });
            if (cut) {
                // A partitioned network: the connection seems to open, then nothing gets through.
                damaged.add(frontend);
                frontend.config().setAutoRead(true);
                return;
            }
            new Bootstrap().group(frontend.eventLoop())
                    .channel(NioSocketChannel.class)
                    .option(ChannelOption.TCP_NODELAY, true)
                    .option(ChannelOption.AUTO_READ, false)
                    .handler(new BackendHandler(frontend))
                    .connect(target)
                    .addListener((ChannelFutureListener) future -> {
                        if (future.isSuccess()) {
                            backend = future.channel();
                            frontend.read();
                            backend.read();
                        } else {
                            frontend.close();
                        }
                    });
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            relay(ctx, msg, backend, ctx.channel());
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            if (backend != null) {
                closeOnFlush(backend);
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            closeOnFlush(ctx.channel());
        }
    }

    /** The connection to the receiving node: relays its (rare) replies back. */
    private final class BackendHandler extends ChannelInboundHandlerAdapter {
        private final Channel frontend;

        BackendHandler(Channel frontend) {
            this.frontend = frontend;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            relay(ctx, msg, frontend, frontend);
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            closeOnFlush(frontend);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            closeOnFlush(ctx.channel());
        }
    }

    /**
     * Relays what one side read to the other ({@code to}; null while the backend is connecting)
     * and reads again once it is written, which is the relay's back-pressure. While the link is
     * cut, or this connection ({@code frontend}) lost bytes, it is dropped instead and the side
     * reads freely, as a partitioned network swallows whatever is sent.
     */
    private void relay(ChannelHandlerContext ctx, Object msg, Channel to, Channel frontend) {
        boolean dropping = cut || damaged.contains(frontend);
        if (dropping || to == null) {
            ReferenceCountUtil.release(msg);
            if (dropping) {
                damaged.add(frontend);
                ctx.channel().config().setAutoRead(true);
            }
            return;
        }
        to.writeAndFlush(msg).addListener((ChannelFutureListener) future -> {
            if (future.isSuccess()) {
                ctx.channel().read();
            } else {
                future.channel().close();
                ctx.channel().close();
            }
        });
    }

    private static void closeOnFlush(Channel channel) {
        if (channel.isActive()) {
            channel.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
        }
    }
}
