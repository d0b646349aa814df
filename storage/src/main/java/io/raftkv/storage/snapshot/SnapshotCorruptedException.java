package io.raftkv.storage.snapshot;

import java.io.IOException;

/**
 * A snapshot file failed validation: wrong magic or version, a malformed header, a size that does
 * not match the header (a truncated or extended file), or a CRC32C mismatch. The message always
 * names the file, e.g. {@code bad checksum in snapshot-...snap: expected 0x1a2b3c4d got 0x5e6f7a8b}.
 *
 * <p>It is an {@link IOException} because it comes from the disk, but unlike other I/O errors it is
 * an expected outcome: the store skips such a file and falls back to an older valid snapshot, and a
 * follower discards such a transfer (R-DISK-2: corruption is detected, never silently used).
 */
public final class SnapshotCorruptedException extends IOException {
    private static final long serialVersionUID = 1L;

    private final String fileName;

    /**
     * @param fileName the name of the offending file (not the full path, so messages stay short)
     * @param message  the whole message, which must name {@code fileName}
     */
    SnapshotCorruptedException(String fileName, String message) {
        super(message);
        this.fileName = fileName;
    }

    static SnapshotCorruptedException badChecksum(String fileName, long expected, long actual) {
        return new SnapshotCorruptedException(fileName,
                String.format("bad checksum in %s: expected 0x%08x got 0x%08x", fileName, expected, actual));
    }

    static SnapshotCorruptedException malformed(String fileName, String detail) {
        return new SnapshotCorruptedException(fileName, "corrupt snapshot file " + fileName + ": " + detail);
    }

    /** The name of the file that failed validation. */
    public String fileName() {
        return fileName;
    }
}
