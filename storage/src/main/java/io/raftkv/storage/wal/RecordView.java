package io.raftkv.storage.wal;

import io.raftkv.core.EntryType;
import io.raftkv.core.HardState;

/**
 * One decoded record, reused from record to record so that scanning a segment allocates nothing
 * per entry. Only the fields of {@link #type} are meaningful after a decode.
 */
final class RecordView {
    /** What the record is. */
    RecordType type;
    /** Bytes the whole frame occupies on disk: frame header, type byte and payload. */
    int frameBytes;
    /** ENTRY: the entry's index. TRUNCATE: first removed index. FIRST_INDEX: new first index. */
    long index;
    /** ENTRY: the entry's term. */
    long term;
    /** ENTRY: the entry's type. */
    EntryType entryType;
    /** ENTRY: position of the data in the buffer the record was decoded from. */
    int dataPosition;
    /** ENTRY: length of the data in bytes. */
    int dataLength;
    /** HARD_STATE: the decoded hard state. */
    HardState hardState;
    /** COMMIT: file offset of the first record of the batch this record ends. */
    long batchStart;
    /** COMMIT: the log's last index once the batch is applied. */
    long lastIndex;
}
