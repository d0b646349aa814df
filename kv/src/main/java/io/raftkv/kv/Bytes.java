package io.raftkv.kv;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * An immutable, binary-safe byte string: the type of every key and value in the store.
 *
 * <p>Why not {@code byte[]} or {@code String}: Redis keys and values are arbitrary bytes, so a
 * {@code String} would corrupt non-UTF-8 data, and a {@code byte[]} has identity equality and can
 * be changed behind the state machine's back. The hash code is computed by a fixed algorithm
 * (MurmurHash3, seed 0), never by identity, so every replica places a key in the same position of
 * the hash trie and a SCAN cursor means the same thing on every node.
 */
public final class Bytes implements Comparable<Bytes> {

    /** The empty byte string. */
    public static final Bytes EMPTY = new Bytes(new byte[0]);

    private static final int TO_STRING_BYTES_MAX = 64;

    /** Never modified after construction. */
    private final byte[] data;
    /** Lazily computed MurmurHash3 of {@link #data}; a benign race, as in {@link String#hashCode}. */
    private int hash;
    private boolean hashIsZero;

    private Bytes(byte[] data) {
        this.data = data;
    }

    /** Copies {@code source} into a new byte string. */
    public static Bytes copyOf(byte[] source) {
        return source.length == 0 ? EMPTY : new Bytes(source.clone());
    }

    /** Copies {@code length} bytes of {@code source} starting at {@code offset}. */
    public static Bytes copyOf(byte[] source, int offset, int length) {
        return length == 0 ? EMPTY : new Bytes(Arrays.copyOfRange(source, offset, offset + length));
    }

    /**
     * Wraps {@code array} without copying. The caller hands over ownership: it must never modify
     * the array afterwards. Used on hot paths (network and log decoding) where the array was just
     * allocated for this purpose.
     */
    public static Bytes wrapOwned(byte[] array) {
        return array.length == 0 ? EMPTY : new Bytes(array);
    }

    /** The UTF-8 encoding of {@code text}. */
    public static Bytes utf8(String text) {
        return wrapOwned(text.getBytes(StandardCharsets.UTF_8));
    }

    /** The number of bytes. */
    public int length() {
        return data.length;
    }

    /** Whether this is the empty string. */
    public boolean isEmpty() {
        return data.length == 0;
    }

    /** The byte at {@code index}. */
    public byte byteAt(int index) {
        return data[index];
    }

    /** A fresh copy of the bytes. */
    public byte[] toByteArray() {
        return data.clone();
    }

    /** A read-only view of the bytes, without copying (for zero-copy network writes). */
    public ByteBuffer asReadOnlyByteBuffer() {
        return ByteBuffer.wrap(data).asReadOnlyBuffer();
    }

    /** This string followed by {@code suffix}. */
    public Bytes concat(Bytes suffix) {
        if (suffix.data.length == 0) {
            return this;
        }
        byte[] joined = Arrays.copyOf(data, data.length + suffix.data.length);
        System.arraycopy(suffix.data, 0, joined, data.length, suffix.data.length);
        return new Bytes(joined);
    }

    /** Decodes the bytes as UTF-8 (malformed sequences become U+FFFD). */
    public String toStringUtf8() {
        return new String(data, StandardCharsets.UTF_8);
    }

    /** Copies the bytes into {@code target} at {@code offset}. */
    void copyTo(byte[] target, int offset) {
        System.arraycopy(data, 0, target, offset, data.length);
    }

    /** The backing array, for package-internal writers that promise not to modify it. */
    byte[] array() {
        return data;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Bytes that && Arrays.equals(data, that.data);
    }

    @Override
    public int hashCode() {
        int h = hash;
        if (h == 0 && !hashIsZero) {
            h = murmur3(data);
            if (h == 0) {
                hashIsZero = true;
            } else {
                hash = h;
            }
        }
        return h;
    }

    /** Unsigned lexicographic order, as Redis compares strings. */
    @Override
    public int compareTo(Bytes other) {
        return Arrays.compareUnsigned(data, other.data);
    }

    /** A printable, truncated rendering for logs and error messages (non-ASCII bytes as \xNN). */
    @Override
    public String toString() {
        StringBuilder text = new StringBuilder();
        int shown = Math.min(data.length, TO_STRING_BYTES_MAX);
        for (int i = 0; i < shown; i++) {
            int b = data[i] & 0xff;
            if (b >= 0x20 && b < 0x7f && b != '\\') {
                text.append((char) b);
            } else {
                text.append(String.format("\\x%02x", b));
            }
        }
        if (shown < data.length) {
            text.append("...(").append(data.length).append(" bytes)");
        }
        return text.toString();
    }

    /** MurmurHash3 x86_32 with seed 0: fixed, so identical on every JVM and every replica. */
    static int murmur3(byte[] bytes) {
        int h = 0;
        int length = bytes.length;
        int blocks = length & ~3;
        for (int i = 0; i < blocks; i += 4) {
            int k = (bytes[i] & 0xff) | (bytes[i + 1] & 0xff) << 8 | (bytes[i + 2] & 0xff) << 16
                    | (bytes[i + 3] & 0xff) << 24;
            h ^= mixK(k);
            h = Integer.rotateLeft(h, 13) * 5 + 0xe6546b64;
        }
        int tail = length & 3;
        if (tail > 0) {
            int k = 0;
            if (tail == 3) {
                k ^= (bytes[blocks + 2] & 0xff) << 16;
            }
            if (tail >= 2) {
                k ^= (bytes[blocks + 1] & 0xff) << 8;
            }
            k ^= bytes[blocks] & 0xff;
            h ^= mixK(k);
        }
        h ^= length;
        return finalMix(h);
    }

    private static int mixK(int k) {
        k *= 0xcc9e2d51;
        k = Integer.rotateLeft(k, 15);
        return k * 0x1b873593;
    }

    /** The MurmurHash3 finalizer: spreads every input bit over the whole word. */
    static int finalMix(int h) {
        h ^= h >>> 16;
        h *= 0x85ebca6b;
        h ^= h >>> 13;
        h *= 0xc2b2ae35;
        h ^= h >>> 16;
        return h;
    }
}
