package io.raftkv.storage.snapshot;

import java.util.Objects;

/**
 * What a follower did with one InstallSnapshot chunk. Every answer carries
 * {@link #nextExpectedOffset()}: the leader sends its next chunk from there, which makes a transfer
 * resumable after a lost, duplicated or reordered chunk without restarting it (LESSONS.md: "chunked,
 * resumable"). The paper's InstallSnapshot reply carries only the term (Figure 13); the offset is a
 * deliberate addition so a lost chunk costs one round trip, not the whole transfer.
 */
public sealed interface ChunkResult {

    /** Offset of the first byte the follower still needs. */
    long nextExpectedOffset();

    /** The chunk started at the expected offset (or overlapped it) and its new bytes were written. */
    record Appended(long nextExpectedOffset) implements ChunkResult {
    }

    /** The chunk held only bytes already written (a duplicate, or a chunk after the install): ignored. */
    record Duplicate(long nextExpectedOffset) implements ChunkResult {
    }

    /**
     * The chunk starts beyond the expected offset: an earlier chunk was lost or overtaken. Nothing
     * was written; the leader resends from {@link #nextExpectedOffset()}.
     */
    record Gap(long nextExpectedOffset) implements ChunkResult {
    }

    /**
     * The last chunk arrived, the file verified (checksum and metadata) and is now the store's
     * snapshot under its final name. The follower now replaces its state machine and log from it
     * (paper §7, Figure 13, receiver steps 6-8).
     */
    record Installed(SnapshotFile snapshot) implements ChunkResult {
        public Installed {
            Objects.requireNonNull(snapshot, "snapshot");
        }

        @Override
        public long nextExpectedOffset() {
            return snapshot.sizeBytes();
        }
    }

    /**
     * The chunk was refused; nothing was written and nothing installed.
     *
     * @param reason             what was wrong
     * @param detail             a message for the log, naming the transfer
     * @param nextExpectedOffset where the leader should resume; 0 when the transfer must restart
     */
    record Rejected(Reason reason, String detail, long nextExpectedOffset) implements ChunkResult {
        public Rejected {
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(detail, "detail");
        }
    }

    /** Why a chunk was {@link Rejected}. */
    enum Reason {
        /** A chunk past offset 0 of a transfer this follower is not receiving (it never saw the start). */
        UNKNOWN_TRANSFER,
        /** The transfer is older than the one in progress, or was replaced by a newer one. */
        SUPERSEDED,
        /** The chunk starts before 0 or ends past the announced file size. */
        OUT_OF_RANGE,
        /** The announced file size exceeds {@link SnapshotStoreConfig#maxReceiveSizeBytes()}. */
        TOO_LARGE,
        /** The announced file size is smaller than any snapshot file can be. */
        MALFORMED,
        /** {@code done} is set on a chunk that does not end at the announced file size. */
        INCOMPLETE,
        /** The received file's header names another index or term than the leader announced; discarded. */
        METADATA_MISMATCH,
        /** The received file failed validation (checksum, header); discarded, the leader must restart. */
        CORRUPT,
        /** The transfer was aborted (store closed, or {@link SnapshotReceiver#abort()}). */
        ABORTED
    }
}
