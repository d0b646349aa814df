package io.raftkv.kv;

import java.util.Arrays;

/** A growable byte array with the primitive encodings the codecs use (varints, length-prefixed strings). */
final class ByteWriter {

    private byte[] buffer;
    private int size;

    ByteWriter(int initialCapacity) {
        buffer = new byte[Math.max(16, initialCapacity)];
    }

    ByteWriter writeByte(int value) {
        ensure(1);
        buffer[size++] = (byte) value;
        return this;
    }

    ByteWriter writeFixedLong(long value) {
        ensure(8);
        for (int shift = 56; shift >= 0; shift -= 8) {
            buffer[size++] = (byte) (value >>> shift);
        }
        return this;
    }

    /** Unsigned LEB128: 7 bits per byte, high bit set on all but the last. */
    ByteWriter writeVarLong(long value) {
        ensure(10);
        while ((value & ~0x7fL) != 0) {
            buffer[size++] = (byte) ((value & 0x7f) | 0x80);
            value >>>= 7;
        }
        buffer[size++] = (byte) value;
        return this;
    }

    /** Zigzag then LEB128, so small negative numbers stay short. */
    ByteWriter writeSignedVarLong(long value) {
        return writeVarLong((value << 1) ^ (value >> 63));
    }

    ByteWriter writeBytes(Bytes value) {
        writeVarLong(value.length());
        ensure(value.length());
        value.copyTo(buffer, size);
        size += value.length();
        return this;
    }

    byte[] toByteArray() {
        return Arrays.copyOf(buffer, size);
    }

    private void ensure(int extra) {
        if (size + extra > buffer.length) {
            long wanted = Math.max((long) buffer.length * 2, (long) size + extra);
            if (wanted > Integer.MAX_VALUE - 8) {
                throw new IllegalArgumentException("encoding exceeds 2 GiB");
            }
            buffer = Arrays.copyOf(buffer, (int) wanted);
        }
    }
}
