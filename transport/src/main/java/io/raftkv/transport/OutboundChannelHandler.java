package io.raftkv.transport;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import io.raftkv.core.NodeId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last handler of an outbound connection: tells its {@link OutboundLane} when the connection can
 * take more writes, and closes the connection on an error (the lane then reconnects with backoff).
 * Outbound connections carry one direction only, so bytes from the peer are a protocol violation.
 */
final class OutboundChannelHandler extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(OutboundChannelHandler.class);

    private final NodeId self;
    private final OutboundLane lane;

    OutboundChannelHandler(NodeId self, OutboundLane lane) {
        this.self = self;
        this.lane = lane;
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (ctx.channel().isWritable()) {
            lane.onWritable();
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ReferenceCountUtil.release(msg);
        if (ctx.channel().isOpen()) {
            log.warn("[{}] closing {}: the peer wrote on an outbound-only connection", self, lane);
            ctx.close();
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // Typically "connection reset" when the peer goes away; the lane logs the loss on close.
        log.debug("[{}] closing {} after an error: {}", self, lane, cause.toString());
        ctx.close();
    }
}
