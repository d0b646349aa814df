package io.raftkv.sim;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The history of the simulated clients: every invocation, and for each either a completion, a
 * definite failure (the operation certainly had no effect, so it is dropped), or nothing (its
 * outcome is unknown: it may take effect at any later time, or never).
 */
final class ClientHistory {
    private final Map<Long, ClientOp> invoked = new LinkedHashMap<>();
    private final Map<Long, ClientOp.Completion> completed = new HashMap<>();

    void invoke(ClientOp op) {
        invoked.put(op.opId(), op);
    }

    void complete(long opId, String output, long time) {
        if (!invoked.containsKey(opId)) {
            throw new IllegalStateException("completion of unknown op " + opId);
        }
        if (completed.putIfAbsent(opId, new ClientOp.Completion(output, time)) != null) {
            throw new IllegalStateException("op " + opId + " completed twice");
        }
    }

    /** The operation certainly had no effect: it leaves the history. */
    void fail(long opId) {
        if (completed.containsKey(opId)) {
            throw new IllegalStateException("op " + opId + " failed after it completed");
        }
        invoked.remove(opId);
    }

    /** Every operation still in the history, in invocation order. */
    List<ClientOp> operations() {
        return new ArrayList<>(invoked.values());
    }

    /** The completion of {@code opId}, or null if its outcome is unknown. */
    ClientOp.Completion completion(long opId) {
        return completed.get(opId);
    }

    int size() {
        return invoked.size();
    }

    int completedCount() {
        return completed.size();
    }
}
