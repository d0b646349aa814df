package io.raftkv.storage.wal;

import io.raftkv.core.HardState;
import io.raftkv.core.LogEntry;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * One submission waiting for the writer: records to write and the future to complete once they
 * are durable. Immutable except for its future.
 */
final class WriteRequest {
    /** Hard state to write, or null. */
    final HardState hardState;
    /** Entries to write, consecutive; empty for none. */
    final List<LogEntry> entries;
    /** Whether the entries replace stored ones (a TRUNCATE record precedes them). */
    final boolean truncates;
    /** New first index of a compaction, or 0. */
    final long compactTo;
    /** For a truncation without entries: the first index to delete; otherwise 0. */
    final long truncateFrom;
    /** Encoded size of the records, for batching and back-pressure. */
    final long bytes;
    /** Completed with the index of the single entry of an {@code append(term, type, data)}, or null. */
    private final CompletableFuture<Long> indexFuture;
    /** Completed for every other request, or null. */
    private final CompletableFuture<Void> doneFuture;

    private WriteRequest(HardState hardState, List<LogEntry> entries, boolean truncates, long compactTo, long bytes,
                         CompletableFuture<Long> indexFuture, CompletableFuture<Void> doneFuture) {
        this(hardState, entries, truncates, compactTo, 0, bytes, indexFuture, doneFuture);
    }

    private WriteRequest(HardState hardState, List<LogEntry> entries, boolean truncates, long compactTo,
                         long truncateFrom, long bytes, CompletableFuture<Long> indexFuture,
                         CompletableFuture<Void> doneFuture) {
        this.truncateFrom = truncateFrom;
        this.hardState = hardState;
        this.entries = entries;
        this.truncates = truncates;
        this.compactTo = compactTo;
        this.bytes = bytes;
        this.indexFuture = indexFuture;
        this.doneFuture = doneFuture;
    }

    /** A single entry whose future reports its index. */
    static WriteRequest single(LogEntry entry) {
        return new WriteRequest(null, List.of(entry), false, 0, RecordCodec.entryFrameBytes(entry.data().length),
                new CompletableFuture<>(), null);
    }

    /** A hard state (nullable) and entries (possibly replacing a suffix). */
    static WriteRequest persist(HardState hardState, List<LogEntry> entries, boolean truncates, long bytes) {
        return new WriteRequest(hardState, entries, truncates, 0, bytes, null, new CompletableFuture<>());
    }

    /** Deletes the entries at and after {@code fromIndex}, appending nothing (paper §5.3, Figure 13). */
    static WriteRequest truncate(long fromIndex) {
        return new WriteRequest(null, List.of(), true, 0, fromIndex, RecordCodec.INDEX_RECORD_BYTES, null,
                new CompletableFuture<>());
    }

    /** The first index a truncation deletes. */
    long truncationIndex() {
        return entries.isEmpty() ? truncateFrom : entries.get(0).index();
    }

    /** A compaction to {@code newFirstIndex}. */
    static WriteRequest compact(long newFirstIndex) {
        return new WriteRequest(null, List.of(), false, newFirstIndex, RecordCodec.INDEX_RECORD_BYTES, null,
                new CompletableFuture<>());
    }

    CompletableFuture<Long> indexFuture() {
        return indexFuture;
    }

    CompletableFuture<Void> doneFuture() {
        return doneFuture;
    }

    /** Index of the first entry; only for requests with entries. */
    long firstEntryIndex() {
        return entries.get(0).index();
    }

    /** Reports durability. Dependent actions of the future run on the calling (completer) thread. */
    void complete() {
        if (indexFuture != null) {
            indexFuture.complete(entries.get(0).index());
        } else {
            doneFuture.complete(null);
        }
    }

    void fail(Throwable cause) {
        if (indexFuture != null) {
            indexFuture.completeExceptionally(cause);
        } else {
            doneFuture.completeExceptionally(cause);
        }
    }
}
