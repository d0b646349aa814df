package io.raftkv.transport;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToByteEncoder;

/**
 * Encodes {@link PeerMessage}s into frames, allocating each frame's buffer at its exact size. The
 * sender must only write messages that {@link PeerMessageCodec#fits fit}; the transport checks that
 * before queueing, so an oversized message is dropped and counted rather than failing here.
 */
public final class PeerFrameEncoder extends MessageToByteEncoder<PeerMessage> {
    private final PeerMessageCodec codec;

    public PeerFrameEncoder(PeerMessageCodec codec) {
        super(PeerMessage.class);
        this.codec = codec;
    }

    @Override
    protected ByteBuf allocateBuffer(ChannelHandlerContext ctx, PeerMessage message, boolean preferDirect) {
        int size = (int) Math.min(codec.frameBytes(message), Integer.MAX_VALUE);
        return preferDirect ? ctx.alloc().ioBuffer(size) : ctx.alloc().heapBuffer(size);
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, PeerMessage message, ByteBuf out) {
        codec.encode(message, out);
    }
}
