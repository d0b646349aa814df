package io.raftkv.core;

import java.util.List;

/** A read-only view of a core's log, for drivers, checkers and tests. */
public interface LogView {
    /** Index of the first entry held (1 until the log is compacted). */
    long firstIndex();

    /** Term of the entry just before {@link #firstIndex()} (covered by a snapshot), or 0. */
    long snapshotTerm();

    /** Index of the last entry, 0 for an empty log. */
    long lastIndex();

    /** Term of the entry at {@code index}; 0 for index 0; the snapshot's term for firstIndex() - 1. Throws if not held. */
    long term(long index);

    /** The entry at {@code index}; throws if not held. */
    LogEntry entry(long index);

    /** Entries {@code from..toInclusive}. */
    List<LogEntry> entries(long from, long toInclusive);

    /** Highest index known to be committed. */
    long commitIndex();

    /** Highest index durable on this server and matching the in-memory log. */
    long persistedIndex();

    /** Highest index the driver reported as applied. */
    long appliedIndex();

    /** How many times a suffix of this log was deleted (paper §5.3); for invariant checkers. */
    long truncations();
}
