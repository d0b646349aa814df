package io.raftkv.lincheck;

import java.util.ArrayList;
import java.util.List;

/**
 * Builds a history of {@link Operation}s from invocation and completion events, for example from
 * a simulator or a real-process tester (in the style of Jepsen's :invoke / :ok / :fail / :info
 * events, which Porcupine's and Knossos's parsers turn into operations the same way).
 *
 * <ul>
 *   <li>{@link #invoke} opens an operation and returns its id;</li>
 *   <li>{@link #ok} completes it with an output;</li>
 *   <li>{@link #fail} records that it definitely did not take effect: it is left out of the
 *       history;</li>
 *   <li>{@link #unknown} records that its outcome is unknown (timeout, crash); operations still
 *       open when {@link #history()} is called are unknown too.</li>
 * </ul>
 * Each operation can be completed once. Times must not go backwards within an operation.
 *
 * <p><b>Not thread-safe.</b> Callers recording from several threads must synchronize on the
 * recorder (and should take timestamps inside the synchronized block so that the times are
 * consistent with the real order of events).
 */
public final class HistoryRecorder {

    private enum Status { OPEN, OK, FAILED, UNKNOWN }

    private static final class Slot {
        final int clientId;
        final Object input;
        final long callTime;
        Status status = Status.OPEN;
        Object output;
        long returnTime;

        Slot(int clientId, Object input, long callTime) {
            this.clientId = clientId;
            this.input = input;
            this.callTime = callTime;
        }
    }

    private final List<Slot> slots = new ArrayList<>();

    /**
     * Records an invocation.
     *
     * @param clientId the invoking client
     * @param input    operation and arguments
     * @param time     invocation time, less than {@link Long#MAX_VALUE}
     * @return the id of the new operation, to pass to {@link #ok}, {@link #fail} or
     *         {@link #unknown}
     */
    public long invoke(int clientId, Object input, long time) {
        if (input == null) {
            throw new IllegalArgumentException("input must not be null");
        }
        if (time == Long.MAX_VALUE) {
            throw new IllegalArgumentException("invocation time must be less than Long.MAX_VALUE");
        }
        slots.add(new Slot(clientId, input, time));
        return slots.size() - 1;
    }

    /**
     * Records a successful completion.
     *
     * @param opId   id from {@link #invoke}
     * @param output the result
     * @param time   completion time, not before the invocation
     */
    public void ok(long opId, Object output, long time) {
        Slot s = open(opId, time);
        s.status = Status.OK;
        s.output = output;
        s.returnTime = time;
    }

    /**
     * Records that the operation definitely did not take effect; it is dropped from the history.
     *
     * @param opId id from {@link #invoke}
     * @param time when the failure was learnt (only checked not to precede the invocation)
     */
    public void fail(long opId, long time) {
        open(opId, time).status = Status.FAILED;
    }

    /**
     * Records that the operation's outcome will never be known: it may take effect at any time
     * after its invocation, or never.
     *
     * @param opId id from {@link #invoke}
     */
    public void unknown(long opId) {
        open(opId).status = Status.UNKNOWN;
    }

    /**
     * The history so far, in invocation order. Failed operations are omitted; operations that
     * are unknown or still open appear as {@link Operation#unknown}. Does not change the
     * recorder: open operations may still complete afterwards.
     *
     * @return an immutable list of operations
     */
    public List<Operation> history() {
        List<Operation> ops = new ArrayList<>(slots.size());
        for (Slot s : slots) {
            switch (s.status) {
                case OK -> ops.add(Operation.completed(s.clientId, s.input, s.output, s.callTime,
                        s.returnTime));
                case OPEN, UNKNOWN -> ops.add(Operation.unknown(s.clientId, s.input, s.callTime));
                case FAILED -> { }
            }
        }
        return List.copyOf(ops);
    }

    private Slot open(long opId) {
        if (opId < 0 || opId >= slots.size()) {
            throw new IllegalArgumentException("unknown operation id " + opId);
        }
        Slot s = slots.get((int) opId);
        if (s.status != Status.OPEN) {
            throw new IllegalStateException("operation " + opId + " already completed: "
                    + s.status);
        }
        return s;
    }

    private Slot open(long opId, long time) {
        Slot s = open(opId);
        if (time < s.callTime) {
            throw new IllegalArgumentException("operation " + opId + " completes at " + time
                    + ", before its invocation at " + s.callTime);
        }
        return s;
    }
}
