package io.raftkv.core;

import java.util.Objects;

/**
 * A snapshot durable on this server: what it covers, its size, and how to read its bytes to send
 * it to followers (paper §7).
 *
 * @param metadata  what the snapshot replaces in the log
 * @param sizeBytes size of the snapshot file
 * @param reader    reads chunks of the file
 */
public record LocalSnapshot(SnapshotMetadata metadata, long sizeBytes, SnapshotChunkReader reader) {
    public LocalSnapshot {
        Objects.requireNonNull(metadata, "metadata");
        Objects.requireNonNull(reader, "reader");
        if (sizeBytes < 1) {
            throw new IllegalArgumentException("snapshot size must be positive: " + sizeBytes);
        }
    }
}
