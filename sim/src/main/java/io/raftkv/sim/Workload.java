package io.raftkv.sim;

import io.raftkv.core.LogEntry;
import io.raftkv.core.NodeId;
import io.raftkv.core.ProposeResult;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.LongSupplier;

/**
 * Closed-loop clients of the simulated key-value store. Each client has one operation in flight:
 * a GET through ReadIndex, a PUT, or a compare-and-set, on a small key space so that operations
 * contend. Writes carry unique values. The outcome of every operation is recorded in the history:
 * completed, certainly not applied (dropped from the history), or unknown (timed out).
 */
final class Workload {
    /** Simulated milliseconds a client waits before the outcome of its operation is unknown. */
    static final long TIMEOUT_MILLIS = 800;

    /** Index and term of a write whose client was told it succeeded. */
    record AcknowledgedWrite(long opId, long index, long term) {}

    private final int clients;
    private final int keys;
    private final List<SimNode> nodes;
    private final EventQueue events;
    private final SplittableRandom random;
    private final ClientHistory history = new ClientHistory();
    private final long[] inFlight;
    private final NodeId[] target;
    private final Map<Long, Integer> clientOfOp = new HashMap<>();
    private final Map<Long, ClientOp> opsById = new HashMap<>();
    private final List<AcknowledgedWrite> acknowledged = new ArrayList<>();
    private long nextOpId;
    private boolean issuing = true;
    private final LongSupplier historyClock;

    /** {@code historyClock} stamps invocations and completions; it must order them as they happened. */
    Workload(int clients, int keys, List<SimNode> nodes, EventQueue events, SplittableRandom random,
             LongSupplier historyClock) {
        this.historyClock = historyClock;
        this.clients = clients;
        this.keys = keys;
        this.nodes = nodes;
        this.events = events;
        this.random = random;
        this.inFlight = new long[clients];
        Arrays.fill(inFlight, -1);
        this.target = new NodeId[clients];
    }

    void start() {
        for (int c = 0; c < clients; c++) {
            events.after(1 + random.nextInt(20), new SimEvent.ClientIssue(c));
        }
    }

    /** No new operations from now on; those in flight finish or time out. */
    void stopIssuing() {
        issuing = false;
    }

    void onIssue(int client) {
        if (!issuing || inFlight[client] != -1) {
            return;
        }
        SimNode node = pickNode(client);
        if (!node.isUp()) {
            target[client] = null; // connection refused: nothing was sent, try another node soon
            events.after(10, new SimEvent.ClientIssue(client));
            return;
        }
        long opId = ++nextOpId;
        String key = "k" + random.nextInt(keys);
        int dice = random.nextInt(100);
        ClientOp.Kind kind = dice < 50 ? ClientOp.Kind.GET : dice < 85 ? ClientOp.Kind.PUT : ClientOp.Kind.CAS;
        String value = "v" + opId;
        String expected = kind == ClientOp.Kind.CAS ? pickExpected() : null;
        ClientOp op = new ClientOp(opId, client, kind, key, kind == ClientOp.Kind.GET ? null : value, expected,
                historyClock.getAsLong());
        history.invoke(op);
        opsById.put(opId, op);
        inFlight[client] = opId;
        clientOfOp.put(opId, client);
        events.after(TIMEOUT_MILLIS, new SimEvent.ClientTimeout(client, opId));
        if (kind == ClientOp.Kind.GET) {
            node.read(opId, key);
            return;
        }
        KvCommand command = new KvCommand(opId, kind == ClientOp.Kind.PUT ? KvCommand.Kind.PUT : KvCommand.Kind.CAS,
                key, value, expected);
        ProposeResult result = node.propose(opId, command);
        if (result instanceof ProposeResult.NotLeader notLeader) {
            target[client] = notLeader.leaderHint();
            failDefinitely(opId);
        } else if (result instanceof ProposeResult.TransferInProgress transfer) {
            target[client] = transfer.target(); // nothing was appended; the target is about to lead
            failDefinitely(opId);
        }
    }

    /** A CAS expects a recent value: a value some earlier write wrote, or absent, so it sometimes succeeds. */
    private String pickExpected() {
        if (nextOpId <= 1 || random.nextInt(5) == 0) {
            return null;
        }
        long back = Math.min(nextOpId - 1, 1 + random.nextInt(8));
        return "v" + (nextOpId - back);
    }

    private SimNode pickNode(int client) {
        if (target[client] != null && random.nextInt(10) != 0) {
            for (SimNode node : nodes) {
                if (node.id().equals(target[client])) {
                    return node;
                }
            }
        }
        SimNode node = nodes.get(random.nextInt(nodes.size()));
        target[client] = node.id();
        return node;
    }

    void onTimeout(int client, long opId) {
        if (inFlight[client] != opId) {
            return;
        }
        inFlight[client] = -1;
        clientOfOp.remove(opId);
        target[client] = null;
        if (opsById.get(opId).kind() == ClientOp.Kind.GET) {
            history.fail(opId); // a read has no effect, so an unanswered one can be dropped
        }
        // A write stays in the history with an unknown outcome: it may still take effect.
        scheduleNext(client);
    }

    void onWriteApplied(long opId, LogEntry entry, String result) {
        ClientOp op = opsById.get(opId);
        if (complete(opId, op.kind() == ClientOp.Kind.CAS ? result : null)) {
            acknowledged.add(new AcknowledgedWrite(opId, entry.index(), entry.term()));
        }
    }

    void onReadServed(long opId, String value) {
        complete(opId, value);
    }

    void onDefiniteFailure(long opId) {
        Integer client = clientOfOp.get(opId);
        if (client != null && inFlight[client] == opId) {
            target[client] = null;
            failDefinitely(opId);
        }
    }

    private void failDefinitely(long opId) {
        int client = clientOfOp.remove(opId);
        inFlight[client] = -1;
        history.fail(opId);
        scheduleNext(client);
    }

    private boolean complete(long opId, String output) {
        Integer client = clientOfOp.get(opId);
        if (client == null || inFlight[client] != opId) {
            return false; // answered after the client gave up: its outcome stays unknown
        }
        clientOfOp.remove(opId);
        inFlight[client] = -1;
        history.complete(opId, output, historyClock.getAsLong());
        scheduleNext(client);
        return true;
    }

    private void scheduleNext(int client) {
        events.after(1 + random.nextInt(20), new SimEvent.ClientIssue(client));
    }

    ClientHistory history() {
        return history;
    }

    List<AcknowledgedWrite> acknowledged() {
        return acknowledged;
    }

    /** True while some client waits for an answer. */
    boolean hasInFlight() {
        for (long op : inFlight) {
            if (op != -1) {
                return true;
            }
        }
        return false;
    }
}
