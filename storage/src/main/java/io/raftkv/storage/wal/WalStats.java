package io.raftkv.storage.wal;

/**
 * Counters of a {@link SegmentedLog} since it was opened, for metrics, benchmarks and tests.
 *
 * @param requests        submissions written (appends, persists, compactions)
 * @param entries         entry records written
 * @param batches         batches written, each ended by one COMMIT record and made durable by one fsync
 * @param fsyncs          file and directory fsyncs, of batches and of segment rolls, creations and deletions
 * @param bytesWritten    bytes of the batches written (records and COMMITs; segment headers not counted)
 * @param segmentsCreated segments created by rolling
 * @param segmentsDeleted segments deleted by compaction
 * @param failed          whether the log has failed and refuses writes
 */
public record WalStats(long requests, long entries, long batches, long fsyncs, long bytesWritten,
                       long segmentsCreated, long segmentsDeleted, boolean failed) {
}
