package io.raftkv.storage.wal;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Completes the futures of durable batches on its own thread, in the order the writer hands them
 * over. Waking dozens of waiting appenders costs a system call each; done here, it overlaps the
 * writer's next write and fsync instead of delaying them. It also keeps callers' dependent actions
 * off the writer thread. Failures pass through the same queue, so no caller sees a later request
 * fail before an earlier one succeeds.
 */
final class Completer implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(Completer.class);
    /** Batches handed over but not yet completed; a full queue makes the writer wait (back-pressure). */
    private static final int MAX_QUEUED_BATCHES = 1024;

    /** One hand-over: requests to complete, or to fail with {@link #failure}. */
    private record Work(List<WriteRequest> requests, Throwable failure) {
    }

    private static final Work STOP = new Work(List.of(), null);

    private final BlockingQueue<Work> queue = new ArrayBlockingQueue<>(MAX_QUEUED_BATCHES);

    /** Completes {@code requests} (copied) normally. Writer thread. */
    void complete(List<WriteRequest> requests) throws InterruptedException {
        queue.put(new Work(new ArrayList<>(requests), null));
    }

    /** Fails {@code requests} (copied) with {@code failure}, after everything handed over before. */
    void fail(List<WriteRequest> requests, Throwable failure) throws InterruptedException {
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
