package io.raftkv.storage.wal;

import io.raftkv.core.LogEntry;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reads entries back from their segments: one positional read per window of consecutive entries,
 * not per entry, with every record's CRC checked again so that damage since recovery is reported
 * instead of returned.
 *
 * <p>Locations are resolved under the index's read lock in bounded {@link Span}s, and the disk is
 * read without it, so a long read never holds up the writer's publishing. That is safe because
 * records are never overwritten: an entry replaced or compacted after its span was resolved is
 * still read as it was; only a deleted segment fails the read (its channel is closed).
 */
final class EntryReader {
    /** Entries resolved per lock acquisition. */
    static final int SPAN_ENTRIES = 4096;
    /** Windows start this small for a single entry and grow up to {@link #MAX_WINDOW_BYTES} for ranges. */
    private static final int MIN_WINDOW_BYTES = 4 << 10;
    private static final int MAX_WINDOW_BYTES = 1 << 20;

    /**
     * Where consecutive entries are: all in one segment.
     *
     * @param segment    the segment holding them
     * @param firstIndex index of the first entry
     * @param offsets    frame offset of each entry, in index order
     */
    record Span(SegmentFile segment, long firstIndex, int[] offsets) {
        long lastIndex() {
            return firstIndex + offsets.length - 1;
        }
    }

    private final long maxBytes;
    private final List<LogEntry> entries = new ArrayList<>();
    private final RecordView view = new RecordView();
    private long bytes;

    /** A reader that stops before the total {@link LogEntry#sizeBytes()} exceeds {@code maxBytes} (after one entry). */
    EntryReader(long maxBytes) {
        this.maxBytes = maxBytes;
    }

    /**
     * Resolves up to {@link #SPAN_ENTRIES} live entries from {@code from}, at most to
     * {@code toInclusive}. The caller holds the index's read lock.
     */
    static Span plan(LogIndex index, long from, long toInclusive) {
        LogIndex.Chunk chunk = index.chunkOf(from);
        long last = Math.min(Math.min(toInclusive, chunk.endIndex()), from + SPAN_ENTRIES - 1);
        int start = (int) (from - chunk.baseIndex);
        return new Span(chunk.segment, from, Arrays.copyOfRange(chunk.offsets, start, start + (int) (last - from) + 1));
    }

    /** Reads the entries of {@code span}; returns false once the byte budget stops the read. */
    boolean read(Span span) throws IOException {
        SegmentFile segment = span.segment();
        int[] offsets = span.offsets();
        long size = segment.size();
        long extent = (long) offsets[offsets.length - 1] - offsets[0] + MIN_WINDOW_BYTES;
        int windowBytes = (int) Math.min(MAX_WINDOW_BYTES, Math.max(MIN_WINDOW_BYTES, extent));
        FileWindow window = new FileWindow(segment, size, windowBytes);
        SegmentScanner scanner = new SegmentScanner(window, offsets[0]);
        for (int i = 0; i < offsets.length; i++) {
            long index = span.firstIndex() + i;
            scanner.seek(offsets[i]);
            SegmentScanner.Status status = scanner.next(view);
            if (status != SegmentScanner.Status.RECORD || view.type != RecordType.ENTRY || view.index != index) {
                String found = status != SegmentScanner.Status.RECORD ? scanner.problem()
                        : "found " + view.type + (view.type == RecordType.ENTRY ? " " + view.index : "");
                throw new WalCorruptionException(segment.path(), offsets[i], "reading entry " + index + ": " + found);
            }
            LogEntry entry = RecordCodec.toEntry(window.buffer(), view);
            if (!entries.isEmpty() && bytes + entry.sizeBytes() > maxBytes) {
                return false;
            }
            entries.add(entry);
            bytes += entry.sizeBytes();
        }
        return true;
    }

    /** The entries read so far. */
    List<LogEntry> entries() {
        return entries;
    }
}
