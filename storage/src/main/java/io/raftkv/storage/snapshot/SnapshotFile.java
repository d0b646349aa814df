package io.raftkv.storage.snapshot;

import io.raftkv.core.SnapshotMetadata;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Objects;

/**
 * A committed snapshot file that has been validated (or that this process wrote and fsynced itself).
 * Final files are immutable: the store never rewrites a file under its final name, it only creates
 * one by an atomic rename and deletes it when retention says so. That is what lets a leader send a
 * snapshot in chunks with {@link #readChunk} and no state between calls (paper §7, Figure 13:
 * InstallSnapshot "offset" and "data[]"): every read of the same offset returns the same bytes.
 *
 * <p>Thread-safe and immutable. Holds no open file.
 */
public final class SnapshotFile {
    /**
     * Largest chunk {@link #readChunk} returns. It bounds what one call allocates; transports choose
     * their chunk size well below it (thesis ch. 5: chunks keep each message, and its timeout, small).
     */
    public static final int MAX_CHUNK_BYTES = 64 * 1024 * 1024;

    private final Path path;
    private final SnapshotMetadata metadata;
    private final long dataSizeBytes;
    private final long sizeBytes;
    private final int bufferSizeBytes;

    SnapshotFile(Path path, SnapshotHeader header, int bufferSizeBytes) {
        this.path = path;
        this.metadata = header.metadata();
        this.dataSizeBytes = header.dataSizeBytes();
        this.sizeBytes = header.fileSizeBytes();
        this.bufferSizeBytes = bufferSizeBytes;
    }

    /** What the snapshot replaces: last included index and term, and the configuration then. */
    public SnapshotMetadata metadata() {
        return metadata;
    }

    /** The file, named {@code snapshot-<index>-<term>.snap}. */
    public Path path() {
        return path;
    }

    /** Length of the whole file (header, data, trailer): what a leader transfers. */
    public long sizeBytes() {
        return sizeBytes;
    }

    /** Length of the state machine's data inside the file. */
    public long dataSizeBytes() {
        return dataSizeBytes;
    }

    /**
     * Opens the file for restoring the state machine. The header is checked again and must still
     * match this file's metadata; the data stream verifies the checksum as it is read.
     *
     * @throws SnapshotCorruptedException if the file no longer matches what was validated
     * @throws java.nio.file.NoSuchFileException if retention deleted it meanwhile
     */
    public SnapshotReader openReader() throws IOException {
        SnapshotReader reader = SnapshotReader.open(path, bufferSizeBytes);
        if (!reader.metadata().equals(metadata) || reader.dataSizeBytes() != dataSizeBytes) {
            reader.close();
            throw SnapshotCorruptedException.malformed(path.getFileName().toString(),
                    "header changed since the file was validated");
        }
        return reader;
    }

    /**
     * Reads up to {@code maxBytes} of the raw file from {@code offset}: the bytes a leader puts in one
     * InstallSnapshot chunk. A positional read that keeps nothing open between calls, so a transfer
     * can resume from any offset the follower asks for. Returns an empty array at the end of the file.
     *
     * @param offset   0 &le; offset &le; {@link #sizeBytes()}
     * @param maxBytes 1 &le; maxBytes &le; {@link #MAX_CHUNK_BYTES}
     * @throws java.nio.file.NoSuchFileException if retention deleted the file: a leader then starts
     *         over with the store's latest snapshot
     * @throws IOException if the file is shorter than when it was validated
     */
    public byte[] readChunk(long offset, int maxBytes) throws IOException {
        if (offset < 0 || offset > sizeBytes) {
            throw new IllegalArgumentException("offset " + offset + " outside " + path.getFileName()
                    + " of " + sizeBytes + " bytes");
        }
        if (maxBytes < 1 || maxBytes > MAX_CHUNK_BYTES) {
            throw new IllegalArgumentException("maxBytes must be in 1.." + MAX_CHUNK_BYTES + ": " + maxBytes);
        }
        ByteBuffer chunk = ByteBuffer.allocate((int) Math.min(maxBytes, sizeBytes - offset));
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
            while (chunk.hasRemaining()) {
                if (channel.read(chunk, offset + chunk.position()) < 0) {
                    throw new IOException(path.getFileName() + " is shorter than the " + sizeBytes
                            + " bytes it had when validated");
                }
            }
        }
        return chunk.array();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof SnapshotFile that && path.equals(that.path) && metadata.equals(that.metadata)
                && sizeBytes == that.sizeBytes;
    }

    @Override
    public int hashCode() {
        return Objects.hash(path, metadata, sizeBytes);
    }

    @Override
    public String toString() {
        return path.getFileName() + " (" + sizeBytes + " bytes, " + metadata.config() + ")";
    }
}
