package io.raftkv.lincheck;

import java.util.Arrays;
import java.util.Objects;

/**
 * The set of search configurations already visited: pairs of (bit set of linearized operations,
 * model state). Lowe (2017) showed that revisiting such a configuration can never succeed where
 * the first visit failed, which turns the exponential search of Wing &amp; Gong into a practical
 * one; Porcupine uses the same cache.
 *
 * <p>An open-addressing hash table. The caller supplies an incrementally maintained hash of the
 * bit set (see {@link #bitHash}) so that a lookup costs one bit-set comparison and no copying;
 * the bit set is copied only when a new configuration is stored.
 */
final class MemoCache {

    private long[] hashes = new long[1024];
    private long[][] bitSets = new long[1024][];
    private Object[] states = new Object[1024];
    private int size;

    /**
     * A pseudo-random 64-bit value for an operation index; the hash of a bit set is the XOR of
     * the values of its members (Zobrist hashing), so it can be updated in O(1).
     */
    static long bitHash(int opIndex) {
        long z = (opIndex + 1) * 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /**
     * Records a configuration.
     *
     * @return {@code true} if it was new, {@code false} if it had been recorded before
     */
    boolean add(long[] bits, long bitsHash, Object state) {
        long h = bitsHash ^ (Objects.hashCode(state) * 0xC2B2AE3D27D4EB4FL);
        int mask = hashes.length - 1;
        int i = (int) (h ^ (h >>> 32)) & mask;
        while (bitSets[i] != null) {
            if (hashes[i] == h && Arrays.equals(bitSets[i], bits)
                    && Objects.equals(states[i], state)) {
                return false;
            }
            i = (i + 1) & mask;
        }
        hashes[i] = h;
        bitSets[i] = bits.clone();
        states[i] = state;
        if (++size * 2 > hashes.length) {
            grow();
        }
        return true;
    }

    int size() {
        return size;
    }

    private void grow() {
        long[] oldHashes = hashes;
        long[][] oldBits = bitSets;
        Object[] oldStates = states;
        int capacity = oldHashes.length * 2;
        hashes = new long[capacity];
        bitSets = new long[capacity][];
        states = new Object[capacity];
        int mask = capacity - 1;
        for (int j = 0; j < oldHashes.length; j++) {
            if (oldBits[j] == null) {
                continue;
            }
            long h = oldHashes[j];
            int i = (int) (h ^ (h >>> 32)) & mask;
            while (bitSets[i] != null) {
                i = (i + 1) & mask;
            }
            hashes[i] = h;
            bitSets[i] = oldBits[j];
            states[i] = oldStates[j];
        }
    }
}
