package io.raftkv.transport;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.DecoderException;
import io.raftkv.core.NodeId;
import java.io.IOException;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last handler of an inbound connection: checks each decoded message's destination, hands it to
 * the transport's inbound callback, and closes the connection (with one log line naming the remote
 * address and the reason) when the decoder reports a bad frame. Nothing else is affected by a bad
 * connection: other connections, and the transport, keep serving.
 */
final class InboundMessageHandler extends SimpleChannelInboundHandler<PeerMessage> {
    private static final Logger log = LoggerFactory.getLogger(InboundMessageHandler.class);

    private final NodeId self;
    private final PeerMessageCodec codec;
    private final Consumer<PeerMessage> inbound;
    private final TransportCounters counters;
    private final RateLimitedLog wrongDestinationLog;

    InboundMessageHandler(NodeId self, PeerMessageCodec codec, Consumer<PeerMessage> inbound,
                          TransportCounters counters, RateLimitedLog wrongDestinationLog) {
        this.self = self;
        this.codec = codec;
        this.inbound = inbound;
        this.counters = counters;
        this.wrongDestinationLog = wrongDestinationLog;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        log.debug("[{}] accepted peer connection from {}", self, ctx.channel().remoteAddress());
        ctx.fireChannelActive();
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, PeerMessage message) {
        if (!message.to().equals(self)) {
            // A peer with a stale or wrong address map; Raft must not see another node's messages.
            counters.dropped(DropReason.WRONG_DESTINATION);
            wrongDestinationLog.warn(() -> "[" + self + "] dropped a message for " + message.to() + " from "
                    + message.from() + " at " + ctx.channel().remoteAddress() + ": this node is " + self);
            return;
        }
        counters.received(codec.frameBytes(message));
        try {
            inbound.accept(message);
        } catch (RuntimeException e) {
            // The callback belongs to the node runtime; its failure is its own bug, not the peer's,
            // so the connection stays open. Logged with the stack trace so the bug can be found.
            log.error("[{}] inbound callback failed on {} from {}", self, message, ctx.channel().remoteAddress(), e);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        Throwable reason = cause instanceof DecoderException && cause.getCause() != null ? cause.getCause() : cause;
        if (reason instanceof CorruptFrameException) {
            counters.connectionRejected();
            log.warn("[{}] closing peer connection from {}: {}", self, ctx.channel().remoteAddress(),
                    reason.getMessage());
        } else if (reason instanceof IOException) {
            log.debug("[{}] peer connection from {} failed: {}", self, ctx.channel().remoteAddress(), reason.toString());
        } else {
            log.warn("[{}] closing peer connection from {} after an unexpected error", self,
                    ctx.channel().remoteAddress(), reason);
        }
        ctx.close();
    }
}
