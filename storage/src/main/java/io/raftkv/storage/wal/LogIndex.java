package io.raftkv.storage.wal;

import io.raftkv.core.HardState;
import java.util.ArrayList;
import java.util.Arrays;

/**
 * Where every live entry is on disk, and the durable state of the log: first and last index, term
 * of each entry, hard state. Payloads stay on disk; an entry costs four bytes here (its offset)
 * plus a share of a term run.
 *
 * <p>Live entries form the range {@code [firstIndex, lastIndex]}. They are kept as chunks, each a
 * run of consecutive indexes stored in one segment; chunks are in index order and therefore in
 * segment order too (a replacement of a suffix always writes to the newest segment).
 *
 * <p>Not thread-safe: {@link SegmentedLog} guards it with a read-write lock; the writer thread is
 * its only mutator after recovery.
 */
final class LogIndex {
    /** Consecutive entries stored in one segment. */
    static final class Chunk {
        final SegmentFile segment;
        /** Index of {@code offsets[0]}; entries below the log's first index may linger at the front. */
        final long baseIndex;
        /** File offset of each entry's frame. */
        int[] offsets = new int[256];
        int size;

        Chunk(SegmentFile segment, long baseIndex) {
            this.segment = segment;
            this.baseIndex = baseIndex;
        }

        long endIndex() {
            return baseIndex + size - 1;
        }
    }

    private final ArrayList<Chunk> chunks = new ArrayList<>();
    private final TermRuns terms = new TermRuns();
    /** Index of the first live entry; entries before it were compacted away (paper §7). */
    private long firstIndex;
    /** Index of the last live entry; {@code firstIndex - 1} when the log is empty. */
    private long lastIndex;
    /** The durable hard state; {@link HardState#INITIAL} until one is written. */
    private HardState hardState = HardState.INITIAL;

    LogIndex(long firstIndex) {
        reset(firstIndex);
    }

    long firstIndex() {
        return firstIndex;
    }

    long lastIndex() {
        return lastIndex;
    }

    HardState hardState() {
        return hardState;
    }

    void setHardState(HardState hardState) {
        this.hardState = hardState;
    }

    /** Records the entry that follows the last one. */
    void append(long index, long term, SegmentFile segment, int offset) {
        if (index != lastIndex + 1) {
            throw new IllegalStateException("entry " + index + " does not follow last index " + lastIndex);
        }
        Chunk chunk = chunks.isEmpty() ? null : chunks.get(chunks.size() - 1);
        if (chunk == null || chunk.segment != segment || chunk.endIndex() + 1 != index) {
            chunk = new Chunk(segment, index);
            chunks.add(chunk);
        }
        if (chunk.size == chunk.offsets.length) {
            chunk.offsets = Arrays.copyOf(chunk.offsets, chunk.size * 2);
        }
        chunk.offsets[chunk.size++] = offset;
        terms.append(index, term);
        lastIndex = index;
    }

    /** Removes entries at and after {@code index} (paper §5.3); below the first index, empties the log there. */
    void truncateFrom(long index) {
        if (index > lastIndex + 1) {
            throw new IllegalStateException("truncation at " + index + " beyond last index " + lastIndex);
        }
        if (index < firstIndex) {
            reset(index);
            return;
        }
        while (!chunks.isEmpty() && chunks.get(chunks.size() - 1).baseIndex >= index) {
            chunks.remove(chunks.size() - 1);
        }
        if (!chunks.isEmpty()) {
            Chunk last = chunks.get(chunks.size() - 1);
            last.size = (int) Math.min(last.size, index - last.baseIndex);
        }
        terms.truncateFrom(index);
        lastIndex = index - 1;
    }

    /** Discards entries before {@code index} (paper §7); past the end, empties the log there. */
    void compactTo(long index) {
        if (index > lastIndex + 1) {
            reset(index);
            return;
        }
        if (index <= firstIndex) {
            return;
        }
        firstIndex = index;
        int drop = 0;
        while (drop < chunks.size() && chunks.get(drop).endIndex() < index) {
            drop++;
        }
        chunks.subList(0, drop).clear();
        terms.dropBefore(index);
    }

    private void reset(long first) {
        chunks.clear();
        terms.clear();
        firstIndex = first;
        lastIndex = first - 1;
    }

    /** Whether {@code index} is a live entry. */
    boolean holds(long index) {
        return index >= firstIndex && index <= lastIndex;
    }

    /** Term of the live entry at {@code index}. */
    long term(long index) {
        check(index);
        return terms.termAt(index);
    }

    /** The chunk holding the live entry at {@code index}. */
    Chunk chunkOf(long index) {
        check(index);
        int low = 0;
        int high = chunks.size() - 1;
        while (low < high) {
            int mid = (low + high + 1) >>> 1;
            if (chunks.get(mid).baseIndex <= index) {
                low = mid;
            } else {
                high = mid - 1;
            }
        }
        return chunks.get(low);
    }

    /** The oldest segment holding a live entry, or null when the log is empty. */
    SegmentFile oldestLiveSegment() {
        return chunks.isEmpty() ? null : chunks.get(0).segment;
    }

    /** Number of term runs, for tests. */
    int termRuns() {
        return terms.runs();
    }

    private void check(long index) {
        if (!holds(index)) {
            throw new IndexOutOfBoundsException("index " + index + " outside the log [" + firstIndex + ", "
                    + lastIndex + "]");
        }
    }
}
