package io.raftkv.transport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.Arrays;

/** Encoding and decoding helpers for codec tests. */
final class Frames {
    private Frames() {}

    static byte[] encode(PeerMessageCodec codec, PeerMessage message) {
        ByteBuf buf = Unpooled.buffer();
        try {
            codec.encode(message, buf);
            byte[] bytes = new byte[buf.readableBytes()];
            buf.readBytes(bytes);
            return bytes;
        } finally {
            buf.release();
        }
    }

    static PeerMessage decode(PeerMessageCodec codec, byte[] frame) throws CorruptFrameException {
        ByteBuf buf = Unpooled.wrappedBuffer(frame);
        try {
            return codec.decode(buf);
        } finally {
            buf.release();
        }
    }

    /** The frame with its length prefix rewritten to match its (possibly cut) length. */
    static byte[] withConsistentLength(byte[] frame) {
        byte[] copy = Arrays.copyOf(frame, frame.length);
        int length = copy.length - PeerMessageCodec.LENGTH_FIELD_BYTES;
        copy[0] = (byte) (length >>> 24);
        copy[1] = (byte) (length >>> 16);
        copy[2] = (byte) (length >>> 8);
        copy[3] = (byte) length;
        return copy;
    }

    static String hex(byte[] bytes) {
        StringBuilder hex = new StringBuilder();
        for (byte b : bytes) {
            hex.append(String.format("%02x", b));
        }
        return hex.toString();
    }
}
