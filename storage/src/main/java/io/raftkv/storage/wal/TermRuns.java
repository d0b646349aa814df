package io.raftkv.storage.wal;

import java.util.Arrays;

/**
 * The term of every entry of the log, stored as runs: Raft terms never decrease along the log
 * (paper §5.3) and change only at elections, so a handful of (first index, term) pairs describe
 * millions of entries. Any sequence of terms is stored correctly, only less compactly.
 * Not thread-safe.
 */
final class TermRuns {
    /** First index of each run, ascending. */
    private long[] starts = new long[16];
    /** Term of each run; {@code terms[i]} covers {@code starts[i] .. starts[i+1]-1}. */
    private long[] terms = new long[16];
    private int size;

    /** Records the term of the entry at {@code index}, which follows the last one recorded. */
    void append(long index, long term) {
        if (size > 0 && terms[size - 1] == term) {
            return;
        }
        if (size == starts.length) {
            starts = Arrays.copyOf(starts, size * 2);
            terms = Arrays.copyOf(terms, size * 2);
        }
        starts[size] = index;
        terms[size] = term;
        size++;
    }

    /** Term of the entry at {@code index}, which the caller knows is held. */
    long termAt(long index) {
        int i = Arrays.binarySearch(starts, 0, size, index);
        return terms[i >= 0 ? i : -i - 2];
    }

    /** Forgets the entries at and after {@code index}. */
    void truncateFrom(long index) {
        while (size > 0 && starts[size - 1] >= index) {
            size--;
        }
    }

    /** Forgets runs that end before {@code firstIndex}. */
    void dropBefore(long firstIndex) {
        int keep = 0;
        while (keep + 1 < size && starts[keep + 1] <= firstIndex) {
            keep++;
        }
        if (keep > 0) {
            System.arraycopy(starts, keep, starts, 0, size - keep);
            System.arraycopy(terms, keep, terms, 0, size - keep);
            size -= keep;
        }
    }

    void clear() {
        size = 0;
    }

    /** Number of runs, for tests. */
    int runs() {
        return size;
    }
}
