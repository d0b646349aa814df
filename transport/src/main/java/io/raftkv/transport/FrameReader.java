package io.raftkv.transport;

import io.netty.buffer.ByteBuf;
import io.raftkv.core.NodeId;
import java.nio.charset.StandardCharsets;

/**
 * Bounds-checked reads of one frame's body. Every read first checks that the frame still holds the
 * bytes it needs, and every length read from the wire is checked against what remains (and against
 * the caller's limit) before anything is allocated, so a hostile length can make the decoder allocate
 * no more than the frame itself holds. Each violation is a {@link CorruptFrameException} naming the
 * field.
 */
final class FrameReader {
    /** Shared by every empty byte string decoded: a zero-length array cannot be mutated. */
    static final byte[] EMPTY = new byte[0];

    private final ByteBuf body;

    /** @param body exactly the frame's bytes after the type byte; reads advance its reader index */
    FrameReader(ByteBuf body) {
        this.body = body;
    }

    int remaining() {
        return body.readableBytes();
    }

    long readLong(String field) throws CorruptFrameException {
        need(field, Long.BYTES);
        return body.readLong();
    }

    int readInt(String field) throws CorruptFrameException {
        need(field, Integer.BYTES);
        return body.readInt();
    }

    /**
     * Reads a flags byte and rejects bits outside {@code allowedMask}: a set unknown bit means the
     * sender speaks a protocol we do not, or the frame is corrupt.
     */
    int readFlags(String field, int allowedMask) throws CorruptFrameException {
        need(field, 1);
        int flags = body.readUnsignedByte();
        if ((flags & ~allowedMask) != 0) {
            throw new CorruptFrameException(field + " has unknown bits set: 0x" + Integer.toHexString(flags));
        }
        return flags;
    }

    int readUnsignedByte(String field) throws CorruptFrameException {
        need(field, 1);
        return body.readUnsignedByte();
    }

    /** A node id: u8 length (1..{@link NodeId#MAX_LENGTH}) and that many ASCII bytes, validated by NodeId. */
    NodeId readNodeId(String field) throws CorruptFrameException {
        need(field, " length", 1);
        int length = body.readUnsignedByte();
        if (length < 1 || length > NodeId.MAX_LENGTH) {
            throw new CorruptFrameException(field + " length " + length + " outside 1.." + NodeId.MAX_LENGTH);
        }
        need(field, "", length);
        String value = body.readCharSequence(length, StandardCharsets.US_ASCII).toString();
        try {
            return new NodeId(value);
        } catch (IllegalArgumentException e) {
            throw new CorruptFrameException(field + ": " + e.getMessage(), e);
        }
    }

    /**
     * A byte string: u32 length, then the bytes. The length is checked against {@code maxLength} and
     * against the bytes left in the frame before the array is allocated.
     *
     * @return the bytes; {@link #EMPTY} for an empty string
     */
    byte[] readBytes(String field, long maxLength) throws CorruptFrameException {
        need(field, " length", Integer.BYTES);
        long length = body.readUnsignedInt();
        if (length > maxLength) {
            throw new CorruptFrameException(field + " length " + length + " exceeds the limit of " + maxLength);
        }
        need(field, "", length);
        if (length == 0) {
            return EMPTY;
        }
        byte[] bytes = new byte[(int) length];
        body.readBytes(bytes);
        return bytes;
    }

    long readUnsignedInt(String field) throws CorruptFrameException {
        need(field, Integer.BYTES);
        return body.readUnsignedInt();
    }

    /** The frame must end here: trailing bytes mean the sender and we disagree about the layout. */
    void requireEnd(String what) throws CorruptFrameException {
        if (body.isReadable()) {
            throw new CorruptFrameException(body.readableBytes() + " trailing bytes after " + what);
        }
    }

    private void need(String field, long bytes) throws CorruptFrameException {
        need(field, "", bytes);
    }

    /** {@code suffix} is appended to the field name only in the error message: no string work per read. */
    private void need(String field, String suffix, long bytes) throws CorruptFrameException {
        if (body.readableBytes() < bytes) {
            throw new CorruptFrameException("truncated: " + field + suffix + " needs " + bytes + " bytes, "
                    + body.readableBytes() + " remain in the frame");
        }
    }
}
