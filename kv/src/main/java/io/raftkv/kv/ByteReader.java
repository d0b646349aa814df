package io.raftkv.kv;

/**
 * Bounds-checked reading of the encodings {@link ByteWriter} produces. Every malformation
 * (truncation, an over-long varint, a length beyond a limit) is a {@link KvCodecException}.
 */
final class ByteReader {

    private final byte[] data;
    private int position;

    ByteReader(byte[] data) {
        this.data = data;
    }

    int readByte() {
        require(1);
        return data[position++] & 0xff;
    }

    long readFixedLong() {
        require(8);
        long value = 0;
        for (int i = 0; i < 8; i++) {
            value = (value << 8) | (data[position++] & 0xff);
        }
        return value;
    }

    long readVarLong() {
        long value = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            int b = readByte();
            if (shift == 63 && (b & 0xfe) != 0) {
                throw new KvCodecException("varint overflows 64 bits");
            }
            value |= (long) (b & 0x7f) << shift;
            if ((b & 0x80) == 0) {
                return value;
            }
        }
        throw new KvCodecException("varint longer than 10 bytes");
    }

    long readSignedVarLong() {
        long raw = readVarLong();
        return (raw >>> 1) ^ -(raw & 1);
    }

    /** A non-negative varint no larger than {@code max}. */
    int readLength(int max, String what) {
        long length = readVarLong();
        if (length < 0 || length > max) {
            throw new KvCodecException(what + " out of range: " + length + " (max " + max + ")");
        }
        return (int) length;
    }

    Bytes readBytes(int maxLength, String what) {
        int length = readLength(maxLength, what + " length");
        require(length);
        Bytes value = Bytes.copyOf(data, position, length);
        position += length;
        return value;
    }

    void expectEnd() {
        if (position != data.length) {
            throw new KvCodecException((data.length - position) + " trailing bytes");
        }
    }

    private void require(int count) {
        if (data.length - position < count) {
            throw new KvCodecException("truncated: needed " + count + " more bytes at offset " + position
                    + " of " + data.length);
        }
    }
}
