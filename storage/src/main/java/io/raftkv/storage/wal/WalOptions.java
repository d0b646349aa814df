package io.raftkv.storage.wal;

/**
 * Tuning of a {@link SegmentedLog}. Every limit bounds memory or latency; defaults suit a server.
 *
 * @param segmentSizeBytes size at which the log starts a new segment; also the unit of compaction
 *                         (only whole segments are deleted) and of preallocation. 4 KiB .. 1 GiB.
 * @param maxBatchBytes    a batch is closed and synced once it holds this many bytes, so one huge
 *                         submission cannot delay everyone queued behind it for long. 4 KiB .. 256 MiB.
 * @param maxPendingBytes  bytes submitted but not yet written, beyond which submitters block
 *                         (back-pressure, R-OPS-5). A single request larger than this is still
 *                         accepted when nothing else is pending. >= 64 KiB.
 * @param maxEntryBytes    largest entry data accepted, 0 .. 64 MiB: bounds what one record makes
 *                         a reader allocate.
 * @param preallocate      fill each new segment file with zeros (and sync) before use, off the
 *                         appenders' path, so later fsyncs need not commit block allocations
 */
public record WalOptions(long segmentSizeBytes, int maxBatchBytes, long maxPendingBytes, int maxEntryBytes,
                         boolean preallocate) {
    /** Default segment size: 64 MiB, as etcd. */
    public static final long DEFAULT_SEGMENT_SIZE_BYTES = 64L << 20;
    /** Default batch bound: 4 MiB, a few milliseconds of sequential disk writing. */
    public static final int DEFAULT_MAX_BATCH_BYTES = 4 << 20;
    /** Default back-pressure bound: 64 MiB queued for the writer. */
    public static final long DEFAULT_MAX_PENDING_BYTES = 64L << 20;
    /** Default entry bound: 16 MiB. */
    public static final int DEFAULT_MAX_ENTRY_BYTES = 16 << 20;
    /** Smallest segment size accepted (tests use small segments to exercise rolling). */
    public static final long MIN_SEGMENT_SIZE_BYTES = 4L << 10;
    /** Largest segment size accepted: entry offsets within a segment must fit an int. */
    public static final long MAX_SEGMENT_SIZE_BYTES = 1L << 30;

    public WalOptions {
        if (segmentSizeBytes < MIN_SEGMENT_SIZE_BYTES || segmentSizeBytes > MAX_SEGMENT_SIZE_BYTES) {
            throw new IllegalArgumentException("segmentSizeBytes must be in [" + MIN_SEGMENT_SIZE_BYTES + ", "
                    + MAX_SEGMENT_SIZE_BYTES + "]: " + segmentSizeBytes);
        }
        if (maxBatchBytes < 4096 || maxBatchBytes > (256 << 20)) {
            throw new IllegalArgumentException("maxBatchBytes must be in [4 KiB, 256 MiB]: " + maxBatchBytes);
        }
        if (maxPendingBytes < (64 << 10)) {
            throw new IllegalArgumentException("maxPendingBytes must be >= 64 KiB: " + maxPendingBytes);
        }
        if (maxEntryBytes < 0 || maxEntryBytes > RecordCodec.MAX_ENTRY_DATA_BYTES) {
            throw new IllegalArgumentException("maxEntryBytes must be in [0, " + RecordCodec.MAX_ENTRY_DATA_BYTES
                    + "]: " + maxEntryBytes);
        }
    }

    /** The defaults. */
    public static WalOptions defaults() {
        return builder().build();
    }

    /** A builder starting from the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** Builds {@link WalOptions}; every setter has a default. */
    public static final class Builder {
        private long segmentSizeBytes = DEFAULT_SEGMENT_SIZE_BYTES;
        private int maxBatchBytes = DEFAULT_MAX_BATCH_BYTES;
        private long maxPendingBytes = DEFAULT_MAX_PENDING_BYTES;
        private int maxEntryBytes = DEFAULT_MAX_ENTRY_BYTES;
        private boolean preallocate = true;

        private Builder() {
        }

        /** See {@link WalOptions#segmentSizeBytes()}. */
        public Builder segmentSizeBytes(long value) {
            segmentSizeBytes = value;
            return this;
        }

        /** See {@link WalOptions#maxBatchBytes()}. */
        public Builder maxBatchBytes(int value) {
            maxBatchBytes = value;
            return this;
        }

        /** See {@link WalOptions#maxPendingBytes()}. */
        public Builder maxPendingBytes(long value) {
            maxPendingBytes = value;
            return this;
        }

        /** See {@link WalOptions#maxEntryBytes()}. */
        public Builder maxEntryBytes(int value) {
            maxEntryBytes = value;
            return this;
        }

        /** See {@link WalOptions#preallocate()}. */
        public Builder preallocate(boolean value) {
            preallocate = value;
            return this;
        }

        /** Validates and builds. */
        public WalOptions build() {
            return new WalOptions(segmentSizeBytes, maxBatchBytes, maxPendingBytes, maxEntryBytes, preallocate);
        }
    }
}
