package io.raftkv.storage.wal;

import io.raftkv.core.EntryType;
import io.raftkv.core.HardState;
import io.raftkv.core.LogEntry;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Where submitters hand requests to the writer thread. It validates each request against the log
 * as it will be once everything queued before it is written ({@code pendingFirst..pendingLast}),
 * assigns indexes to {@code append(term, type, data)}, and bounds the queued bytes (back-pressure:
 * submitters block while the writer is behind, R-OPS-5). The writer takes the whole queue at once,
 * so everything submitted during one fsync shares the next one (group commit, R-DISK-3).
 */
final class SubmitQueue {
    /** Largest single request, so that offsets within a segment stay below 2 GiB. */
    static final long MAX_REQUEST_BYTES = 512L << 20;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition notEmpty = lock.newCondition();
    private final Condition notFull = lock.newCondition();
    private final long maxPendingBytes;
    private final int maxEntryBytes;
    /** Requests in submission order. Guarded by {@link #lock}. */
    private ArrayDeque<WriteRequest> queue = new ArrayDeque<>();
    /** Encoded bytes in {@link #queue}. */
    private long queuedBytes;
    /** First and last index of the log once every queued request is written. */
    private long pendingFirst;
    private long pendingLast;
    /** Why new requests are refused (closed or failed), or null while open. */
    private IOException refusal;

    SubmitQueue(long firstIndex, long lastIndex, long maxPendingBytes, int maxEntryBytes) {
        this.pendingFirst = firstIndex;
        this.pendingLast = lastIndex;
        this.maxPendingBytes = maxPendingBytes;
        this.maxEntryBytes = maxEntryBytes;
    }

    /** Appends one entry at the next free index; the future reports that index once durable. */
    CompletableFuture<Long> append(long term, EntryType type, byte[] data) {
        checkEntrySize(data == null ? 0 : data.length);
        long bytes = RecordCodec.entryFrameBytes(data == null ? 0 : data.length);
        lock.lock();
        try {
            IOException refused = awaitRoom(bytes);
            if (refused != null) {
                return CompletableFuture.failedFuture(refused);
            }
            WriteRequest request = WriteRequest.single(new LogEntry(pendingLast + 1, term, type, data));
            pendingLast++;
            enqueue(request);
            return request.indexFuture();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Writes {@code hardState} (nullable) and {@code entries}, which replace every entry at or after
     * the first one's index unless {@code appendOnly}, in which case they must follow the last.
     */
    CompletableFuture<Void> persist(HardState hardState, List<LogEntry> entries, boolean appendOnly) {
        List<LogEntry> copy = List.copyOf(entries);
        long bytes = hardState == null ? 0 : RecordCodec.hardStateFrameBytes(hardState);
        for (int i = 0; i < copy.size(); i++) {
            LogEntry entry = copy.get(i);
            if (i > 0 && entry.index() != copy.get(i - 1).index() + 1) {
                throw new IllegalArgumentException("entries must be consecutive: " + copy.get(i - 1) + " then "
                        + entry);
            }
            checkEntrySize(entry.data().length);
            bytes += RecordCodec.entryFrameBytes(entry.data().length);
        }
        if (bytes > MAX_REQUEST_BYTES) {
            throw new IllegalArgumentException("request of " + bytes + " bytes exceeds " + MAX_REQUEST_BYTES
                    + "; split it");
        }
        lock.lock();
        try {
            IOException refused = awaitRoom(bytes);
            if (refused != null) {
                return CompletableFuture.failedFuture(refused);
            }
            boolean truncates = false;
            if (!copy.isEmpty()) {
                long first = copy.get(0).index();
                long lowest = appendOnly ? pendingLast + 1 : pendingFirst;
                if (first < lowest || first > pendingLast + 1) {
                    throw new IllegalArgumentException("entries start at " + first + " but must start in ["
                            + lowest + ", " + (pendingLast + 1) + "] (log will be [" + pendingFirst + ", "
                            + pendingLast + "])");
                }
                truncates = first <= pendingLast;
                pendingLast = copy.get(copy.size() - 1).index();
            }
            WriteRequest request = WriteRequest.persist(hardState, copy, truncates,
                    bytes + (truncates ? RecordCodec.INDEX_RECORD_BYTES : 0));
            enqueue(request);
            return request.doneFuture();
        } finally {
            lock.unlock();
        }
    }

    /** Deletes the entries at and after {@code fromIndex}; a no-op barrier if there are none. */
    CompletableFuture<Void> truncate(long fromIndex) {
        lock.lock();
        try {
            IOException refused = awaitRoom(RecordCodec.INDEX_RECORD_BYTES); // may release the lock: validate after
            if (refused != null) {
                return CompletableFuture.failedFuture(refused);
            }
            if (fromIndex < pendingFirst || fromIndex > pendingLast + 1) {
                throw new IllegalArgumentException("truncation at " + fromIndex + " outside [" + pendingFirst + ", "
                        + (pendingLast + 1) + "]");
            }
            WriteRequest request = fromIndex > pendingLast
                    ? WriteRequest.persist(null, List.of(), false, 0)
                    : WriteRequest.truncate(fromIndex);
            pendingLast = Math.min(pendingLast, fromIndex - 1);
            enqueue(request);
            return request.doneFuture();
        } finally {
            lock.unlock();
        }
    }

    /** Discards the entries up to and including {@code upToIndex}. */
    CompletableFuture<Void> compact(long upToIndex) {
        if (upToIndex < 0) {
            throw new IllegalArgumentException("upToIndex must be >= 0: " + upToIndex);
        }
        lock.lock();
        try {
            IOException refused = awaitRoom(RecordCodec.INDEX_RECORD_BYTES);
            if (refused != null) {
                return CompletableFuture.failedFuture(refused);
            }
            WriteRequest request;
            if (upToIndex + 1 <= pendingFirst) {
                request = WriteRequest.persist(null, List.of(), false, 0); // nothing to do: a barrier
            } else {
                request = WriteRequest.compact(upToIndex + 1);
                pendingFirst = upToIndex + 1;
                pendingLast = Math.max(pendingLast, upToIndex);
            }
            enqueue(request);
            return request.doneFuture();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Everything queued, in order, waiting while the queue is empty; null once the queue is closed
     * and drained. Writer thread only.
     */
    ArrayDeque<WriteRequest> take() throws InterruptedException {
        lock.lock();
        try {
            while (queue.isEmpty() && refusal == null) {
                notEmpty.await();
            }
            if (queue.isEmpty()) {
                return null;
            }
            ArrayDeque<WriteRequest> taken = queue;
            queue = new ArrayDeque<>(Math.max(16, taken.size()));
            queuedBytes = 0;
            notFull.signalAll();
            return taken;
        } finally {
            lock.unlock();
        }
    }

    /** Refuses new requests; the writer still drains what is queued. */
    void close() {
        lock.lock();
        try {
            if (refusal == null) {
                refusal = new WalClosedException("the write-ahead log is closed");
            }
            notEmpty.signalAll();
            notFull.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Refuses new requests with {@code reason} and returns the queued ones, which the caller fails. */
    List<WriteRequest> fail(IOException reason) {
        lock.lock();
        try {
            refusal = reason;
            List<WriteRequest> dropped = new ArrayList<>(queue);
            queue.clear();
            queuedBytes = 0;
            notEmpty.signalAll();
            notFull.signalAll();
            return dropped;
        } finally {
            lock.unlock();
        }
    }

    private void checkEntrySize(int length) {
        if (length > maxEntryBytes) {
            throw new IllegalArgumentException("entry data of " + length + " bytes exceeds maxEntryBytes "
                    + maxEntryBytes);
        }
    }

    /** Waits until {@code bytes} fit; returns why the request is refused, or null. Lock held. */
    private IOException awaitRoom(long bytes) {
        try {
            while (refusal == null && queuedBytes > 0 && queuedBytes + bytes > maxPendingBytes) {
                notFull.await();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new InterruptedIOException("interrupted while waiting for room in the write-ahead log queue");
        }
        return refusal;
    }

    private void enqueue(WriteRequest request) {
        queue.add(request);
        queuedBytes += request.bytes;
        if (queue.size() == 1) {
            notEmpty.signal();
        }
    }
}
