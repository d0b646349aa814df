package io.raftkv.storage.wal;

import java.io.IOException;
import java.util.zip.CRC32C;

/**
 * Decides whether damage found in the last segment is a torn tail (a crash while the last batch
 * was being written, to be cut off) or corruption (to refuse). The rule:
 *
 * <p>Let {@code c} be the end of the last intact COMMIT record before the damage. Only the batch
 * starting at {@code c} can have been in flight at the crash: the writer writes a batch only after
 * the previous batch's fsync returned, so everything before {@code c} was on disk before anything
 * after it was written. The damage is a torn tail if, searching every byte offset after it for an
 * intact record, we find nothing but records of that same batch: no COMMIT other than that batch's
 * own ({@code batchStartOffset == c}), and nothing at all after that COMMIT. Zero-filled space
 * (preallocation, or sectors the disk never wrote) is skipped by the search. Anything else intact
 * after the damage proves that later data was written, and so that the damaged bytes had been
 * synced before: corruption.
 *
 * <p>A candidate frame must pass a cheap layout check ({@link RecordCodec#plausible}) before its
 * CRC is computed, which keeps the search linear in the bytes after the damage.
 */
final class TailInspector {
    /** What the search found. */
    record Verdict(boolean torn, boolean dirty, long intactOffset, String detail) {
    }

    private TailInspector() {
    }

    /**
     * @param window       over the whole last segment
     * @param damaged      offset of the first frame that is not an intact record of a committed batch
     * @param committedEnd end of the last intact COMMIT before {@code damaged}
     */
    static Verdict inspect(FileWindow window, long damaged, long committedEnd) throws IOException {
        long size = window.limit();
        if (window.nextNonZero(committedEnd) == size) {
            return new Verdict(true, false, -1, "only zeros after the last batch");
        }
        boolean dirty = true;
        CRC32C crc = new CRC32C();
        RecordView view = new RecordView();
        boolean sawOwnCommit = false;
        long q = damaged + 1;
        while (q + RecordCodec.FRAME_HEADER_BYTES + 1 <= size) {
            int at = window.load(q, RecordCodec.FRAME_HEADER_BYTES);
            int length = window.buffer().getInt(at);
            if (length == 0) {
                long nonZero = window.nextNonZero(q);
                if (nonZero >= size) {
                    break;
                }
                q = Math.max(q + 1, nonZero - 3);
                continue;
            }
            int frame = intactFrameAt(window, q, length, view, crc);
            if (frame == 0) {
                q++;
                continue;
            }
            if (sawOwnCommit) {
                return new Verdict(false, dirty, q, "an intact " + view.type + " record follows at offset " + q
                        + ", after the commit of the damaged batch");
            }
            if (view.type == RecordType.COMMIT) {
                if (view.batchStart != committedEnd) {
                    return new Verdict(false, dirty, q, "a later complete batch (commit record at offset " + q
                            + ") follows");
                }
                sawOwnCommit = true;
            }
            q += frame;
        }
        return new Verdict(true, dirty, -1, "");
    }

    /** Frame bytes of the intact record at {@code q}, decoded into {@code view}, or 0 if there is none. */
    private static int intactFrameAt(FileWindow window, long q, int length, RecordView view, CRC32C crc)
            throws IOException {
        long available = window.limit() - q - RecordCodec.FRAME_HEADER_BYTES;
        if (length < 1 || length > RecordCodec.MAX_RECORD_LENGTH || length > available) {
            return 0;
        }
        int at = window.load(q, RecordCodec.FRAME_HEADER_BYTES + RecordCodec.plausibilityBytes(length));
        if (!RecordCodec.plausible(window.buffer(), at, length)) {
            return 0;
        }
        at = window.load(q, RecordCodec.FRAME_HEADER_BYTES + length);
        return RecordCodec.decode(window.buffer(), at, length, view, crc) == null ? view.frameBytes : 0;
    }
}
