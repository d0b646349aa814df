package io.raftkv.sim;

import io.raftkv.core.NodeId;
import io.raftkv.core.message.RaftMessage;

/** Something that happens at one moment of simulated time. Printed as-is in failure traces. */
sealed interface SimEvent {
    /** A logical clock tick for one incarnation of a node. */
    record Tick(NodeId node, int incarnation) implements SimEvent {}

    /** A message arrives at its destination. */
    record Deliver(RaftMessage message) implements SimEvent {}

    /** The head of a node's disk queue finished its fsync. */
    record DiskDone(NodeId node, int incarnation) implements SimEvent {}

    /** A snapshot a node started writing is durable (ignored if the node crashed meanwhile). */
    record SnapshotWritten(NodeId node, int incarnation, io.raftkv.core.SnapshotMetadata metadata, byte[] data)
            implements SimEvent {
        @Override
        public String toString() {
            return "SnapshotWritten[" + node + ", " + metadata.lastIncludedIndex() + "@" + metadata.lastIncludedTerm()
                    + ", " + data.length + " bytes]";
        }
    }

    /** A client is ready to issue its next operation. */
    record ClientIssue(int client) implements SimEvent {}

    /** A client gives up waiting for an operation: its outcome is unknown. */
    record ClientTimeout(int client, long opId) implements SimEvent {}

    /** The fault injector acts. */
    record NemesisStep() implements SimEvent {}

    /** A targeted crash of one incarnation of a node (ignored if it already restarted). */
    record Crash(NodeId node, int incarnation) implements SimEvent {}

    /** A targeted partition: one node is cut off from all others. */
    record Isolate(NodeId node) implements SimEvent {}

    /** The membership operator acts (add, promote, remove, transfer leadership). */
    record MembershipStep() implements SimEvent {}

    /** A crashed node comes back from its durable state. */
    record Restart(NodeId node) implements SimEvent {}

    /** A fault is lifted. */
    record Heal(String what) implements SimEvent {}
}
