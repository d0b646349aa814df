package io.raftkv.verify.workload;

import io.raftkv.verify.history.Fn;
import io.raftkv.verify.history.HistoryWriter;
import io.raftkv.verify.history.Op;
import io.raftkv.verify.history.Outcome;
import io.raftkv.verify.history.Workload;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Records every client operation: its invocation when sent and its completion when answered,
 * both streamed to the history file, and the completed {@link Op} kept for the checkers. Times
 * come from one monotonic clock shared by all clients and the nemesis.
 */
public final class OpRecorder {
    private final HistoryWriter writer;
    private final LongSupplier clock;
    private final AtomicLong nextIndex = new AtomicLong();
    private final AtomicLong ok = new AtomicLong();
    private final AtomicLong fail = new AtomicLong();
    private final AtomicLong unknown = new AtomicLong();
    private final List<Op> ops = new ArrayList<>();

    /** An operation sent and not yet answered. */
    public record Invocation(int process, String node, Workload workload, Fn fn, String key, String value,
                             long invokeNanos, boolean isFinal) {}

    public OpRecorder(HistoryWriter writer, LongSupplier clock) {
        this.writer = writer;
        this.clock = clock;
    }

    /** Nanoseconds since the start of the run. */
    public long now() {
        return clock.getAsLong();
    }

    /** Records that an operation is about to be sent. */
    public Invocation invoke(int process, String node, Workload workload, Fn fn, String key, String value,
                             boolean isFinal) {
        long at = clock.getAsLong();
        writer.invoke(process, node, workload, fn, key, value, at);
        return new Invocation(process, node, workload, fn, key, value, at, isFinal);
    }

    /** Records how an invoked operation ended. */
    public Op complete(Invocation call, Outcome outcome, String result, String error) {
        long at = Math.max(clock.getAsLong(), call.invokeNanos());
        Op op;
        synchronized (this) {
            op = new Op(nextIndex.getAndIncrement(), call.process(), call.node(), call.workload(), call.fn(), call.key(),
                    call.value(), outcome, result, call.invokeNanos(), at, error, call.isFinal());
            ops.add(op);
            writer.complete(op);
        }
        switch (outcome) {
            case OK -> ok.incrementAndGet();
            case FAIL -> fail.incrementAndGet();
            case UNKNOWN -> unknown.incrementAndGet();
            default -> throw new IllegalStateException();
        }
        return op;
    }

    /** Every completed operation so far, in completion order. */
    public synchronized List<Op> ops() {
        return List.copyOf(ops);
    }

    public long okCount() {
        return ok.get();
    }

    public long failCount() {
        return fail.get();
    }

    public long unknownCount() {
        return unknown.get();
    }
}
