package io.raftkv.transport;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.List;

/**
 * Splits an inbound byte stream into frames and decodes each into a {@link PeerMessage}.
 *
 * <p>It rejects a frame as early as the bytes allow: an oversized or undersized length prefix as soon
 * as its four bytes arrive (so a hostile prefix never makes us buffer up to 4 GiB), and a foreign
 * magic/version byte as soon as it arrives. Any violation raises a {@link CorruptFrameException}
 * (wrapped by Netty in a {@code DecoderException}) through {@code exceptionCaught}; from then on the
 * decoder discards everything the connection sends, since the frame boundaries are lost, so the
 * handler that closes the connection sees exactly one error. A connection that ends inside a frame
 * raises one as well.
 *
 * <p>One instance per connection: it holds that connection's partial frame.
 */
public final class PeerFrameDecoder extends ByteToMessageDecoder {
    private final PeerMessageCodec codec;
    private boolean failed;

    public PeerFrameDecoder(PeerMessageCodec codec) {
        this.codec = codec;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) throws CorruptFrameException {
        if (failed) {
            in.skipBytes(in.readableBytes());
            return;
        }
        try {
            decodeFrame(in, out);
        } catch (CorruptFrameException e) {
            failed = true;
            in.skipBytes(in.readableBytes());
            throw e;
        }
    }

    private void decodeFrame(ByteBuf in, List<Object> out) throws CorruptFrameException {
        int readable = in.readableBytes();
        if (readable < PeerMessageCodec.LENGTH_FIELD_BYTES) {
            return;
        }
        long length = in.getUnsignedInt(in.readerIndex());
        codec.checkLength(length);
        if (readable > PeerMessageCodec.LENGTH_FIELD_BYTES) {
            codec.checkMagicVersion(in.getUnsignedByte(in.readerIndex() + PeerMessageCodec.LENGTH_FIELD_BYTES));
        }
        if (readable < PeerMessageCodec.LENGTH_FIELD_BYTES + length) {
            return; // wait for the rest of the frame; checkLength bounded what we will buffer
        }
        out.add(codec.decode(in));
    }

    @Override
    protected void decodeLast(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) throws Exception {
        super.decodeLast(ctx, in, out);
        if (!failed && in.isReadable()) {
            failed = true;
            int partial = in.readableBytes();
            in.skipBytes(partial);
            throw new CorruptFrameException("connection closed inside a frame (" + partial + " bytes of it received)");
        }
    }
}
