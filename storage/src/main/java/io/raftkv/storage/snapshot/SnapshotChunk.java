package io.raftkv.storage.snapshot;

import java.util.Objects;

/**
 * One InstallSnapshot chunk as it arrives at a follower (paper §7, Figure 13: offset, data[], done),
 * tagged with the transfer it belongs to. The bytes are the snapshot file's own bytes, starting at
 * {@code offset}. Values come from the network and are validated by {@link SnapshotInstaller}, not here.
 *
 * @param transfer which snapshot the chunk belongs to
 * @param offset   position of {@code data} in the file
 * @param data     the bytes; held without copying (the caller must not reuse the array), and compared
 *                 by identity in {@code equals}
 * @param done     true on the last chunk
 */
public record SnapshotChunk(SnapshotTransfer transfer, long offset, byte[] data, boolean done) {
    public SnapshotChunk {
        Objects.requireNonNull(transfer, "transfer");
        Objects.requireNonNull(data, "data");
    }

    @Override
    public String toString() {
        return "chunk(" + transfer + ", offset=" + offset + ", " + data.length + " bytes" + (done ? ", done)" : ")");
    }
}
