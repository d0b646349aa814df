package io.raftkv.loadgen;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * One closed-loop client: it keeps {@code pipeline} operations in flight on its connection and
 * starts the next one only when one of its own completes. Each of those in-flight chains is a
 * "slot"; a slot ends when the {@link RunWindow} refuses a new operation.
 *
 * <p>Completions arrive on the driver's threads and start the next operation right there, which
 * keeps a Netty connection's writes on its event loop. A driver that completes synchronously would
 * recurse, so past a small depth the next operation is handed to the executor instead. After a
 * failure the slot waits a little (longer after a connection failure) so a dead endpoint does not
 * turn into a busy loop of errors.
 */
final class ClosedLoopClient {
    private static final int DEPTH_MAX = 16;
    private static final long BACKOFF_ERROR_MILLIS = 10;
    private static final long BACKOFF_CONNECTION_MILLIS = 100;
    private static final ThreadLocal<int[]> DEPTH = ThreadLocal.withInitial(() -> new int[1]);

    private final StoreConnection connection;
    private final RunWindow window;
    private final KeySpace keys;
    private final byte[] value;
    private final double readRatio;
    private final OpStats writes;
    private final OpStats reads;
    private final ScheduledExecutorService timer;
    private final CountDownLatch slotsDone;

    ClosedLoopClient(StoreConnection connection, RunWindow window, KeySpace keys, byte[] value, double readRatio,
                     OpStats writes, OpStats reads, ScheduledExecutorService timer, CountDownLatch slotsDone) {
        this.connection = connection;
        this.window = window;
        this.keys = keys;
        this.value = value;
        this.readRatio = readRatio;
        this.writes = writes;
        this.reads = reads;
        this.timer = timer;
        this.slotsDone = slotsDone;
    }

    /** Starts one slot: a chain of operations, one at a time. */
    void startSlot(Executor executor) {
        executor.execute(this::issue);
    }

    private void issue() {
        long start = System.nanoTime();
        RunWindow.Admission admission = window.admit(start);
        if (admission == RunWindow.Admission.STOP) {
            slotsDone.countDown();
            return;
        }
        boolean measured = admission == RunWindow.Admission.MEASURED;
        byte[] key = keys.randomKey();
        boolean read = readRatio > 0 && (readRatio >= 1 || ThreadLocalRandom.current().nextDouble() < readRatio);
        try {
            if (read) {
                connection.get(key).whenComplete((found, failure) ->
                        completed(reads, start, measured, failure, Boolean.FALSE.equals(found)));
            } else {
                connection.put(key, value).whenComplete((ignored, failure) ->
                        completed(writes, start, measured, failure, false));
            }
        } catch (RuntimeException e) {
            completed(read ? reads : writes, start, measured, e, false);
        }
    }

    private void completed(OpStats stats, long start, boolean measured, Throwable failure, boolean miss) {
        long now = System.nanoTime();
        if (measured) {
            window.measuredCompleted(now);
        }
        if (failure == null) {
            stats.success(now - start, measured);
            if (miss) {
                stats.miss(measured);
            }
            next();
            return;
        }
        String kind = OperationException.kindOf(failure);
        stats.failure(kind, messageOf(failure), measured);
        long backoff = OperationException.CONNECTION.equals(kind) ? BACKOFF_CONNECTION_MILLIS : BACKOFF_ERROR_MILLIS;
        timer.schedule(this::issue, backoff, TimeUnit.MILLISECONDS);
    }

    private static String messageOf(Throwable failure) {
        Throwable cause = failure;
        while (cause instanceof java.util.concurrent.CompletionException && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause.getMessage() == null ? cause.toString() : cause.getMessage();
    }

    private void next() {
        int[] depth = DEPTH.get();
        if (depth[0] >= DEPTH_MAX) {
            timer.execute(this::issue);
            return;
        }
        depth[0]++;
        try {
            issue();
        } finally {
            depth[0]--;
        }
    }
}
