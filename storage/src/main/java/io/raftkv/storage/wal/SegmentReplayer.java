package io.raftkv.storage.wal;

import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Replays one segment into the {@link LogIndex} during recovery, batch by batch: the records of a
 * batch are staged and applied only when its COMMIT record is read and agrees with them. Sets the
 * segment's write position to the end of its last complete batch.
 *
 * <p>A segment that is not the last must end exactly after a COMMIT record (it was cut to its
 * data and synced before its successor was created); any damage in it is corruption. In the last
 * segment, damage or an unfinished batch after the last COMMIT is judged by {@link TailInspector};
 * a torn tail is cut off and the cut synced before the log accepts writes.
 */
final class SegmentReplayer {
    private static final Logger LOG = LoggerFactory.getLogger(SegmentReplayer.class);
    /** Recovery reads segments in windows this large. */
    static final int READ_WINDOW_BYTES = 4 << 20;

    private final LogIndex index;
    private final IndexOps ops = new IndexOps();
    private final RecordView view = new RecordView();
    private final Syncer syncer;
    /** Bytes cut from the tail of the last segment, for the recovery report. */
    private long discardedBytes;
    /** Status of the scan that ended {@link #replayBatches}. */
    private SegmentScanner.Status scannerStatus;

    SegmentReplayer(LogIndex index, Syncer syncer) {
        this.index = index;
        this.syncer = syncer;
    }

    long discardedBytes() {
        return discardedBytes;
    }

    /** Replays {@code segment}; {@code last} says whether it is the newest segment. */
    void replay(SegmentFile segment, boolean last) throws IOException {
        long size = segment.size();
        if (size > Integer.MAX_VALUE) {
            throw corrupt(segment, Integer.MAX_VALUE, "segment larger than 2 GiB");
        }
        if (size < SegmentHeader.BYTES) {
            throw corrupt(segment, 0, "segment header cut short: " + size + " bytes");
        }
        FileWindow window = new FileWindow(segment, size, READ_WINDOW_BYTES);
        window.load(0, SegmentHeader.BYTES);
        String headerProblem = SegmentHeader.check(window.buffer(), segment.name());
        if (headerProblem != null) {
            throw corrupt(segment, 0, headerProblem);
        }
        if (segment.name().firstIndex() != index.lastIndex() + 1) {
            throw corrupt(segment, 0, "gap: the segment starts at index " + segment.name().firstIndex()
                    + " but the log before it ends at index " + index.lastIndex()
                    + " (a segment is missing or out of order)");
        }
        SegmentScanner scanner = new SegmentScanner(window, SegmentHeader.BYTES);
        long committedEnd = replayBatches(segment, scanner);
        boolean cleanEnd = scannerStatus == SegmentScanner.Status.END_OF_FILE && scanner.recordOffset() == committedEnd;
        if (!cleanEnd && !last) {
            String what = scannerStatus == SegmentScanner.Status.END_OF_FILE
                    ? "the segment ends inside a batch that started at offset " + committedEnd : scanner.problem();
            throw corrupt(segment, scanner.recordOffset(), what + " (in a segment that is not the last)");
        }
        if (!cleanEnd) {
            cutTornTail(segment, window, scanner, committedEnd);
        }
        segment.setWritePosition(committedEnd);
    }

    /** Applies every complete batch; returns the end of the last one. */
    private long replayBatches(SegmentFile segment, SegmentScanner scanner) throws IOException {
        long batchStart = SegmentHeader.BYTES;
        boolean firstBatch = true;
        boolean sawHardState = false;
        boolean sawFirstIndex = false;
        ops.begin(index, segment);
        while ((scannerStatus = scanner.next(view)) == SegmentScanner.Status.RECORD) {
            long offset = scanner.recordOffset();
            try {
                switch (view.type) {
                    case ENTRY -> ops.entry(view.index, view.term, offset);
                    case TRUNCATE -> ops.truncate(view.index);
                    case FIRST_INDEX -> {
                        ops.compact(view.index);
                        sawFirstIndex = true;
                    }
                    case HARD_STATE -> {
                        ops.hardState(view.hardState);
                        sawHardState = true;
                    }
                    case COMMIT -> checkCommit(batchStart);
                    default -> throw new IllegalArgumentException("unexpected record type " + view.type);
                }
            } catch (IllegalArgumentException e) {
                throw corrupt(segment, offset, e.getMessage());
            }
            if (view.type != RecordType.COMMIT) {
                continue;
            }
            if (firstBatch && !(sawHardState && sawFirstIndex)) {
                throw corrupt(segment, batchStart, "the first batch of a segment must hold the hard state and the"
                        + " first index");
            }
            if (firstBatch && (ops.stagedLastIndex() != index.lastIndex()
                    || ops.stagedFirstIndex() != index.firstIndex())) {
                throw corrupt(segment, batchStart, "the first batch of a segment must restate the log, not change"
                        + " it: it moves the log from [" + index.firstIndex() + ", " + index.lastIndex() + "] to ["
                        + ops.stagedFirstIndex() + ", " + ops.stagedLastIndex() + "]");
            }
            ops.applyTo(index);
            firstBatch = false;
            batchStart = scanner.position();
            ops.begin(index, segment);
        }
        if (firstBatch) {
            throw corrupt(segment, SegmentHeader.BYTES, "the segment has no complete first batch ("
                    + scanner.problem() + " at offset " + scanner.recordOffset() + ")");
        }
        return batchStart;
    }

    private void checkCommit(long batchStart) {
        if (view.batchStart != batchStart) {
            throw new IllegalArgumentException("commit record names batch start " + view.batchStart
                    + " but the batch started at " + batchStart);
        }
        if (view.lastIndex != ops.stagedLastIndex()) {
            throw new IllegalArgumentException("commit record says last index " + view.lastIndex
                    + " but the batch leaves the log at " + ops.stagedLastIndex());
        }
    }

    private void cutTornTail(SegmentFile segment, FileWindow window, SegmentScanner scanner, long committedEnd)
            throws IOException {
        boolean endOfFile = scannerStatus == SegmentScanner.Status.END_OF_FILE;
        long damaged = endOfFile ? window.limit() : scanner.recordOffset();
        TailInspector.Verdict verdict = TailInspector.inspect(window, damaged, committedEnd);
        if (!verdict.torn()) {
            throw corrupt(segment, damaged, scanner.problem() + "; not a torn tail: " + verdict.detail());
        }
        if (!verdict.dirty()) {
            return; // only zeros after the last batch: preallocated space, nothing to cut
        }
        long cut = window.limit() - committedEnd;
        LOG.warn("torn tail in {}: cutting {} bytes from offset {} ({} at offset {}); the batch being written at"
                + " the crash was never acknowledged", segment.path(), cut, committedEnd,
                endOfFile ? "unfinished batch" : scanner.problem(), damaged);
        segment.truncate(committedEnd);
        syncer.syncFile(segment.channel());
        discardedBytes += cut;
    }

    private static WalCorruptionException corrupt(SegmentFile segment, long offset, String reason) {
        return new WalCorruptionException(segment.path(), offset, reason);
    }
}
