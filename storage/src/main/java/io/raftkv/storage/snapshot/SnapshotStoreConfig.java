package io.raftkv.storage.snapshot;

/**
 * Limits and tuning of a {@link SnapshotStore}. Every field bounds something and says why.
 *
 * @param retainCount         how many committed snapshots to keep, newest first (default 2). One is
 *                            enough for Raft (paper §7: a snapshot replaces the log prefix); a second
 *                            one is a fallback if the newest is found corrupt, and lets a leader
 *                            finish sending the previous snapshot while a new one is committed.
 *                            At least 1.
 * @param maxReceiveSizeBytes largest snapshot file a follower accepts over InstallSnapshot (default
 *                            16 GiB). A transfer announcing more is refused before a byte is written,
 *                            so a faulty or hostile leader cannot fill the disk. At least the size of
 *                            the smallest snapshot file.
 * @param bufferSizeBytes     buffer of the streams that write and read snapshot data (default 1 MiB):
 *                            large sequential I/O, and the checksum is updated a buffer at a time.
 *                            Between 4 KiB and 64 MiB.
 */
public record SnapshotStoreConfig(int retainCount, long maxReceiveSizeBytes, int bufferSizeBytes) {
    public static final int DEFAULT_RETAIN_COUNT = 2;
    public static final long DEFAULT_MAX_RECEIVE_SIZE_BYTES = 16L * 1024 * 1024 * 1024;
    public static final int DEFAULT_BUFFER_SIZE_BYTES = 1024 * 1024;
    private static final int MIN_BUFFER_SIZE_BYTES = 4 * 1024;
    private static final int MAX_BUFFER_SIZE_BYTES = 64 * 1024 * 1024;

    public SnapshotStoreConfig {
        if (retainCount < 1) {
            throw new IllegalArgumentException("retainCount must be at least 1: " + retainCount);
        }
        if (maxReceiveSizeBytes < SnapshotFormat.MIN_FILE_BYTES) {
            throw new IllegalArgumentException("maxReceiveSizeBytes must be at least " + SnapshotFormat.MIN_FILE_BYTES
                    + ": " + maxReceiveSizeBytes);
        }
        if (bufferSizeBytes < MIN_BUFFER_SIZE_BYTES || bufferSizeBytes > MAX_BUFFER_SIZE_BYTES) {
            throw new IllegalArgumentException("bufferSizeBytes must be in " + MIN_BUFFER_SIZE_BYTES + ".."
                    + MAX_BUFFER_SIZE_BYTES + ": " + bufferSizeBytes);
        }
    }

    /** The defaults: keep 2 snapshots, accept transfers up to 16 GiB, 1 MiB buffers. */
    public static SnapshotStoreConfig defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Builds a {@link SnapshotStoreConfig}; unset fields keep their defaults. */
    public static final class Builder {
        private int retainCount = DEFAULT_RETAIN_COUNT;
        private long maxReceiveSizeBytes = DEFAULT_MAX_RECEIVE_SIZE_BYTES;
        private int bufferSizeBytes = DEFAULT_BUFFER_SIZE_BYTES;

        private Builder() {
        }

        public Builder retainCount(int retainCount) {
            this.retainCount = retainCount;
            return this;
        }

        public Builder maxReceiveSizeBytes(long maxReceiveSizeBytes) {
            this.maxReceiveSizeBytes = maxReceiveSizeBytes;
            return this;
        }

        public Builder bufferSizeBytes(int bufferSizeBytes) {
            this.bufferSizeBytes = bufferSizeBytes;
            return this;
        }

        /** @throws IllegalArgumentException naming the first field out of range */
        public SnapshotStoreConfig build() {
            return new SnapshotStoreConfig(retainCount, maxReceiveSizeBytes, bufferSizeBytes);
        }
    }
}
