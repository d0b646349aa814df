package io.raftkv.core;

/**
 * The AppendEntries requests in flight to one follower in the REPLICATE state, as the last index
 * each one carries; bounded so a slow follower cannot make the leader queue without limit (R-LOG-7).
 */
final class Inflights {
    private final long[] lastIndexes;
    private int start;
    private int count;

    Inflights(int capacity) {
        lastIndexes = new long[capacity];
    }

    boolean isFull() {
        return count == lastIndexes.length;
    }

    int count() {
        return count;
    }

    void add(long lastIndex) {
        if (isFull()) {
            throw new IllegalStateException("inflight window full");
        }
        lastIndexes[(start + count) % lastIndexes.length] = lastIndex;
        count++;
    }

    /** Frees every request whose last index is at most {@code index}: the follower acknowledged them. */
    void freeTo(long index) {
        while (count > 0 && lastIndexes[start] <= index) {
            start = (start + 1) % lastIndexes.length;
            count--;
        }
    }

    void reset() {
        start = 0;
        count = 0;
    }
}
