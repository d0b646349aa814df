package io.raftkv.storage.wal;

import io.raftkv.core.HardState;
import java.util.Arrays;

/**
 * The effect of one batch on the {@link LogIndex}, staged while the batch is encoded (writer) or
 * read (recovery) and applied in one step once the batch is known to be durable: readers never see
 * an entry before its fsync, and recovery never applies half a batch. Staging validates the batch
 * against the log it will apply to, so recovery can name the offending record.
 *
 * <p>Kept in primitive arrays reused from batch to batch: no allocation per entry.
 */
final class IndexOps {
    private static final byte ENTRY = 1;
    private static final byte TRUNCATE = 2;
    private static final byte COMPACT = 3;

    private byte[] kinds = new byte[1024];
    private long[] indexes = new long[1024];
    private long[] terms = new long[1024];
    private int[] offsets = new int[1024];
    private int size;
    /** The segment every staged entry is in: a batch never spans segments. */
    private SegmentFile segment;
    /** The last hard state staged, or null. */
    private HardState hardState;
    /** First and last index the log will have once the staged operations are applied. */
    private long stagedFirst;
    private long stagedLast;

    /** Starts a batch for {@code index} as it is now, writing to {@code segment}. */
    void begin(LogIndex index, SegmentFile segment) {
        size = 0;
        hardState = null;
        this.segment = segment;
        stagedFirst = index.firstIndex();
        stagedLast = index.lastIndex();
    }

    /** Whether nothing has been staged since {@link #begin}. */
    boolean isEmpty() {
        return size == 0 && hardState == null;
    }

    long stagedLastIndex() {
        return stagedLast;
    }

    long stagedFirstIndex() {
        return stagedFirst;
    }

    /** Stages the entry at {@code index}, written at {@code offset}; it must follow the staged last index. */
    void entry(long index, long term, long offset) {
        if (index != stagedLast + 1) {
            throw new IllegalArgumentException("entry index " + index + " does not follow the last index "
                    + stagedLast);
        }
        if (offset > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("entry offset " + offset + " beyond 2 GiB");
        }
        add(ENTRY, index, term, (int) offset);
        stagedLast = index;
    }

    /** Stages removing the entries at and after {@code index}; it may be at most the staged last index + 1. */
    void truncate(long index) {
        if (index < 1 || index > stagedLast + 1) {
            throw new IllegalArgumentException("truncation at index " + index + " beyond the last index "
                    + stagedLast);
        }
        add(TRUNCATE, index, 0, 0);
        if (index < stagedFirst) {
            stagedFirst = index;
        }
        stagedLast = index - 1;
    }

    /** Stages discarding the entries before {@code index}. */
    void compact(long index) {
        if (index < 1) {
            throw new IllegalArgumentException("first index " + index + " < 1");
        }
        add(COMPACT, index, 0, 0);
        if (index > stagedLast + 1) {
            stagedFirst = index;
            stagedLast = index - 1;
        } else {
            stagedFirst = Math.max(stagedFirst, index);
        }
    }

    void hardState(HardState state) {
        hardState = state;
    }

    /** Applies everything staged, in order. */
    void applyTo(LogIndex index) {
        for (int i = 0; i < size; i++) {
            switch (kinds[i]) {
                case ENTRY -> index.append(indexes[i], terms[i], segment, offsets[i]);
                case TRUNCATE -> index.truncateFrom(indexes[i]);
                case COMPACT -> index.compactTo(indexes[i]);
                default -> throw new IllegalStateException("unknown staged operation " + kinds[i]);
            }
        }
        if (hardState != null) {
            index.setHardState(hardState);
        }
    }

    private void add(byte kind, long index, long term, int offset) {
        if (size == kinds.length) {
            int grown = size * 2;
            kinds = Arrays.copyOf(kinds, grown);
            indexes = Arrays.copyOf(indexes, grown);
            terms = Arrays.copyOf(terms, grown);
            offsets = Arrays.copyOf(offsets, grown);
        }
        kinds[size] = kind;
        indexes[size] = index;
        terms[size] = term;
        offsets[size] = offset;
        size++;
    }
}
