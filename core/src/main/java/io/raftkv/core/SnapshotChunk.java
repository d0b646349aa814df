package io.raftkv.core;

/**
 * A chunk of a snapshot received from the leader, for the driver to write durably into the file
 * being received (see {@link Ready#snapshotChunks()}). Chunks of one snapshot arrive in offset
 * order without gaps; a chunk at offset 0 starts a new file.
 *
 * @param metadata   the snapshot the chunk belongs to
 * @param totalBytes size of the whole snapshot file
 * @param offset     where the chunk goes
 * @param data       the bytes
 * @param done       the last chunk: the file is complete
 */
public record SnapshotChunk(SnapshotMetadata metadata, long totalBytes, long offset, byte[] data, boolean done) {}
