package io.raftkv.storage.wal;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Completes the futures of durable batches on its own thread, in the order the writer hands them
 * over. Waking dozens of waiting appenders costs a system call each; done here, it overlaps the
 * writer's next write and fsync instead of delaying them. It also keeps callers' dependent actions
 * off the writer thread. Failures pass through the same queue, so no caller sees a later request
 * fail before an earlier one succeeds.
 *
 * <p>A small batch ({@value #INLINE_REQUESTS_MAX} requests or fewer) handed over while nothing
 * earlier is waiting here is completed on the writer thread at once: waking a few submitters costs
 * less than waking this thread to wake them, and a lone submitter (a Raft loop persisting one
 * Ready at a time) gets its answer one thread hand-off sooner. Order is kept: nothing handed over
 * earlier is still incomplete.
 */
final class Completer implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(Completer.class);
    /** Batches handed over but not yet completed; a full queue makes the writer wait (back-pressure). */
    private static final int MAX_QUEUED_BATCHES = 1024;
    /** Largest batch completed on the writer thread when this one is idle. */
    static final int INLINE_REQUESTS_MAX = 4;

    /** One hand-over: requests to complete, or to fail with {@link #failure}. */
    private record Work(List<WriteRequest> requests, Throwable failure) {
    }

    private static final Work STOP = new Work(List.of(), null);

    private final BlockingQueue<Work> queue = new ArrayBlockingQueue<>(MAX_QUEUED_BATCHES);
    /** Hand-overs queued or being completed; incremented by the writer, decremented here when done. */
    private final AtomicInteger unfinished = new AtomicInteger();

    /**
     * Completes {@code requests} normally: at once on this (the writer's) thread if the batch is
     * small and nothing handed over earlier is unfinished, else (copied) on the completer thread.
     * Writer thread.
     */
    void complete(List<WriteRequest> requests) throws InterruptedException {
        if (requests.size() <= INLINE_REQUESTS_MAX && unfinished.get() == 0) {
            for (WriteRequest request : requests) {
                request.complete();
            }
            return;
        }
        unfinished.incrementAndGet();
        queue.put(new Work(new ArrayList<>(requests), null));
    }

    /** Fails {@code requests} (copied) with {@code failure}, after everything handed over before. */
    void fail(List<WriteRequest> requests, Throwable failure) throws InterruptedException {
        unfinished.incrementAndGet();
        queue.put(new Work(new ArrayList<>(requests), failure));
    }

    /** Ends the thread once everything handed over before is done. */
    void stop() throws InterruptedException {
        queue.put(STOP);
    }

    @Override
    public void run() {
        try {
            for (Work work = queue.take(); work != STOP; work = queue.take()) {
                for (WriteRequest request : work.requests()) {
                    if (work.failure() == null) {
                        request.complete();
                    } else {
                        request.fail(work.failure());
                    }
                }
                unfinished.decrementAndGet();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            WalFailedException failure = new WalFailedException("write-ahead log completer interrupted; the outcome"
                    + " of these writes is unknown", e);
            LOG.error("write-ahead log completer interrupted; failing {} hand-overs", queue.size());
            for (Work work; (work = queue.poll()) != null; ) {
                work.requests().forEach(request -> request.fail(failure)); // nobody may wait forever
            }
        }
    }
}
