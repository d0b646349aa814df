package io.raftkv.storage.wal;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.Lock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one thread that writes the log (R-DISK-3, group commit). It takes everything submitted since
 * its last fsync, encodes it as one batch, writes it with as few system calls as the buffer allows,
 * fsyncs once, publishes the batch to the index, and only then hands the batch's futures to the
 * {@link Completer}. While it waits for the disk, new submissions queue up and share the next fsync.
 *
 * <p>It also rolls segments (between batches, so a batch never spans two files) and deletes
 * segments that a compaction made obsolete (after the compaction is durable).
 *
 * <p>Fail-stop: any write or fsync error completes every pending future exceptionally and makes the
 * log refuse all later writes. After a failed fsync the kernel may have dropped the dirty pages, so
 * a retry could report data durable that is not ("fsyncgate"); the node must reopen the log.
 */
final class GroupCommitWriter implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(GroupCommitWriter.class);
    /** A segment holding no more than this holds only its first batch, and is never rolled. */
    private static final long FIRST_BATCH_BOUND = SegmentHeader.BYTES + RecordCodec.MAX_HARD_STATE_BYTES
            + RecordCodec.INDEX_RECORD_BYTES + RecordCodec.COMMIT_RECORD_BYTES;

    private final Path directory;
    private final WalOptions options;
    private final SubmitQueue queue;
    private final LogIndex index;
    /** Write side of the index lock: held only to publish a durable batch. */
    private final Lock publishLock;
    private final Syncer syncer;
    private final SegmentAllocator allocator;
    private final Completer completer;
    private final WalCounters counters;
    /** Every segment, oldest first; the last is {@link #active}. Writer thread only while it runs. */
    private final List<SegmentFile> segments;
    private final BatchEncoder encoder;
    /** Requests in the open batch, completed after its fsync. */
    private final ArrayList<WriteRequest> batch = new ArrayList<>();
    private SegmentFile active;
    private boolean batchCompacts;

    GroupCommitWriter(Path directory, WalOptions options, SubmitQueue queue, LogIndex index, Lock publishLock,
                      Syncer syncer, SegmentAllocator allocator, Completer completer, WalCounters counters,
                      List<SegmentFile> segments) {
        this.directory = directory;
        this.options = options;
        this.queue = queue;
        this.index = index;
        this.publishLock = publishLock;
        this.syncer = syncer;
        this.allocator = allocator;
        this.completer = completer;
        this.counters = counters;
        this.segments = segments;
        this.active = segments.get(segments.size() - 1);
        this.encoder = new BatchEncoder(Math.min(options.maxBatchBytes(), 1 << 20));
    }

    @Override
    public void run() {
        ArrayDeque<WriteRequest> taken = null;
        try {
            while ((taken = queue.take()) != null) {
                // Removed from the queue only once in the batch, so a failure in between still fails it.
                for (WriteRequest request; (request = taken.peek()) != null; taken.poll()) {
                    add(request);
                }
                commit();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            failStop(new InterruptedIOException("write-ahead log writer interrupted"), taken);
        } catch (Throwable t) { // even an Error must not leave a submitter waiting forever
            failStop(t, taken);
            if (t instanceof Error error) {
                throw error;
            }
        } finally {
            try {
                completer.stop();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                LOG.warn("interrupted while stopping the completer of {}", directory);
            }
        }
    }

    private void add(WriteRequest request) throws IOException, InterruptedException {
        if (needsRoll(request.bytes)) {
            commit();
            roll();
        }
        if (!encoder.isOpen()) {
            encoder.begin(active, index);
        }
        encoder.add(request);
        batch.add(request);
        batchCompacts |= request.compactTo > 0;
        if (encoder.batchBytes() >= options.maxBatchBytes()) {
            commit();
        }
    }

    /** Whether {@code bytes} more would overflow a segment that already holds more than its first batch. */
    private boolean needsRoll(long bytes) {
        long end = active.writePosition() + encoder.batchBytes();
        return end > FIRST_BATCH_BOUND && end + bytes > options.segmentSizeBytes();
    }

    /** Ends the open batch: COMMIT record, write, one fsync, publish, complete futures. */
    private void commit() throws IOException, InterruptedException {
        if (batch.isEmpty()) {
            return;
        }
        if (encoder.hasRecords()) {
            encoder.finish();
            syncer.syncFile(active.channel());
            publishLock.lock();
            try {
                encoder.ops().applyTo(index);
            } finally {
                publishLock.unlock();
            }
            counters.batches.incrementAndGet();
            counters.entries.addAndGet(encoder.entries());
            counters.bytesWritten.addAndGet(active.writePosition() - encoder.batchStart());
            if (batchCompacts) {
                deleteObsoleteSegments();
            }
        } else {
            encoder.abandon(); // barriers only: the previous fsync already covers everything before them
        }
        counters.requests.addAndGet(batch.size());
        completer.complete(batch);
        batch.clear();
        batchCompacts = false;
        if (options.preallocate() && !allocator.preparing()
                && active.writePosition() > options.segmentSizeBytes() / 2) {
            allocator.prepareAhead();
        }
    }

    /**
     * Seals the active segment and starts the next. Crash safety of each step: the old segment is
     * cut to its data and synced first (so a sealed segment ends exactly after a COMMIT); the new
     * one exists under its name only once its first batch is durable ({@link SegmentCreator}).
     */
    private void roll() throws IOException {
        SegmentFile old = active;
        old.truncate(old.writePosition());
        syncer.syncFile(old.channel());
        SegmentName name = new SegmentName(old.name().seq() + 1, index.lastIndex() + 1);
        active = SegmentCreator.create(directory, allocator.take(), name, index, syncer);
        segments.add(active);
        counters.segmentsCreated.incrementAndGet();
        LOG.debug("rolled {} to {}", old.path(), active.path());
    }

    /**
     * Deletes, oldest first, the segments older than the oldest one holding a live entry, except
     * the active one. Runs after the FIRST_INDEX record is durable, so recovery from whatever
     * suffix of segments survives a crash here yields the compacted log.
     */
    private void deleteObsoleteSegments() throws IOException {
        SegmentFile oldestLive = index.oldestLiveSegment();
        int deleted = 0;
        while (segments.size() > 1 && segments.get(0) != active
                && (oldestLive == null || segments.get(0).name().seq() < oldestLive.name().seq())) {
            SegmentFile obsolete = segments.remove(0);
            obsolete.closeAndDelete();
            deleted++;
            LOG.debug("deleted {} after compaction to index {}", obsolete.path(), index.firstIndex());
        }
        if (deleted > 0) {
            syncer.syncDirectory(directory);
            counters.segmentsDeleted.addAndGet(deleted);
        }
    }

    private void failStop(Throwable cause, ArrayDeque<WriteRequest> taken) {
        counters.failed = true;
        WalFailedException failure = new WalFailedException("write-ahead log in " + directory
                + " failed; it refuses further writes until reopened", cause);
        LOG.error("write-ahead log in {} failed; failing {} pending writes and refusing further writes", directory,
                batch.size() + (taken == null ? 0 : taken.size()), cause);
        encoder.abandon();
        List<WriteRequest> failed = new ArrayList<>(batch);
        batch.clear();
        if (taken != null) {
            failed.addAll(taken); // the head may also be in the batch: failing twice is harmless
        }
        failed.addAll(queue.fail(failure));
        try {
            completer.fail(failed, failure); // in order, after the batches that did succeed
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            failed.forEach(request -> request.fail(failure));
        }
    }

    /** The segments, for closing once the thread has ended. */
    List<SegmentFile> segments() {
        return segments;
    }
}
