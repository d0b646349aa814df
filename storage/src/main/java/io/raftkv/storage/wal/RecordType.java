package io.raftkv.storage.wal;

/**
 * The kinds of record a segment holds. Each has an explicit one-byte code written to disk; the
 * codes never change meaning (the enum's ordinal is never written).
 */
enum RecordType {
    /** One log entry: index, term, entry type, data. */
    ENTRY(1),
    /** The hard state (currentTerm, votedFor, commitIndex); the last one replayed wins. */
    HARD_STATE(2),
    /** Removes every entry at or after an index: the conflicting suffix of paper §5.3. */
    TRUNCATE(3),
    /** Discards every entry before an index: log compaction after a snapshot (paper §7). */
    FIRST_INDEX(4),
    /** Ends a batch: the records since the previous COMMIT take effect together or not at all. */
    COMMIT(5);

    /** The byte written to disk for this type. */
    final byte code;

    RecordType(int code) {
        this.code = (byte) code;
    }

    /** The type written as {@code code}, or null for a byte that names no type. */
    static RecordType fromCode(int code) {
        switch (code) {
            case 1: return ENTRY;
            case 2: return HARD_STATE;
            case 3: return TRUNCATE;
            case 4: return FIRST_INDEX;
            case 5: return COMMIT;
            default: return null;
        }
    }
}
