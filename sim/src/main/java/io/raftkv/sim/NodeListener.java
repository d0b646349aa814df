package io.raftkv.sim;

import io.raftkv.core.LogEntry;
import io.raftkv.core.NodeId;
import io.raftkv.core.message.RaftMessage;

/** What a simulated node reports to the simulation: sends, applies, and client outcomes. */
interface NodeListener {
    /** A message left the node (used to check that no server votes twice in a term). */
    void onSent(RaftMessage message);

    /** The node applied a committed entry; {@code result} is the state machine's answer, null for non-commands. */
    void onApplied(NodeId node, LogEntry entry, String result);

    /** A read was served at this node: {@code value} is the key's value at a linearizable point. */
    void onReadServed(long opId, String value);

    /** A read could not be served (no leader, leadership lost); it had no effect. */
    void onReadFailed(long opId);

    /** The node lost power in the middle of an fsync (an armed fault); it is down now. */
    void onPowerLoss(NodeId node);

    /** A write proposed at this node was applied here with {@code result}: acknowledge it. */
    void onWriteApplied(long opId, LogEntry entry, String result);

    /** A proposed write was replaced by another entry at its index: it certainly was not applied. */
    void onWriteLost(long opId);
}
